"""Analysis data frames of a synthetic trial, derived through the product's own engines.

Tumour assessments, deaths, new therapy, withdrawals and adverse events go through the
endpoint input format (:mod:`.assessment_record`) into :func:`oligotrial.endpoints.derive`
(RECIST 1.1, PFS/OS/DOR censoring rules) and :mod:`oligotrial.endpoints.datasets`
(ADSL/ADTTE/ADRS/ADAE, CDISC names). Baseline characteristics come from the patients'
screening records through :func:`oligotrial.reports.baseline.baseline_frame`, as for real
data. The generator adds what only it knows: treatment dates and aetiology (ADSL),
target-sum changes with the new-lesion flag (ADTR), the screening, scan and ctDNA logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.endpoints import datasets
from oligotrial.endpoints.derive import derive_all
from oligotrial.endpoints.inputs import parse_patients
from oligotrial.protocol import load_protocol
from oligotrial.reports.baseline import baseline_frame
from oligotrial.reports.inputs import ReportInputs
from oligotrial.synth.assessment_record import to_patient_record
from oligotrial.synth.screening_record import to_screening_record
from oligotrial.synth.trial import SyntheticTrial, TrialPatient


@dataclass(frozen=True)
class AnalysisFrames:
    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adrs: pd.DataFrame
    adtr: pd.DataFrame
    adae: pd.DataFrame
    screening: pd.DataFrame
    visits: pd.DataFrame
    ctdna: pd.DataFrame


def _d(p: TrialPatient, day: int) -> date:
    return p.randomized + timedelta(days=day)


def _treatment(p: TrialPatient, arm_names: dict[str, str]) -> dict[str, object]:
    """What the generator knows beyond the screening record: treatment and aetiology."""
    return {
        "USUBJID": p.usubjid,
        "TRT01P": arm_names[p.arm],
        "TRT01A": p.treatment,
        "TRTSDT": _d(p, p.treatment_start_day),
        "TRTEDT": _d(p, p.treatment_end_day),
        "DCTREAS": p.treatment_end_reason,
        "AETIOL": p.candidate.aetiology,
        "SAFFL": "Y",
    }


def _baseline(trial: SyntheticTrial) -> pd.DataFrame:
    """Baseline columns derived from the patients' screening records, as for real data."""
    records = [
        ScreeningRecord.model_validate(
            to_screening_record(p.candidate), context={"as_of": p.candidate.consent_date}
        )
        for p in trial.patients
    ]
    ids = {p.candidate.candidate_id: p.usubjid for p in trial.patients}
    return baseline_frame(records, load_protocol(), ids)


def analysis_frames(trial: SyntheticTrial) -> AnalysisFrames:
    records = parse_patients({"patients": [to_patient_record(p) for p in trial.patients]})
    results = derive_all(records)
    protocol = load_protocol()
    study, names = protocol.id, {a.code: a.name for a in protocol.arms}
    adsl = (
        datasets.adsl(results, study)
        .merge(_baseline(trial), on="USUBJID")
        .merge(pd.DataFrame([_treatment(p, names) for p in trial.patients]), on="USUBJID")
    )
    tr, visits, ct = [], [], []
    for p in trial.patients:
        base = p.baseline.sum_mm
        tr += [
            {
                "USUBJID": p.usubjid,
                "ARMCD": p.arm,
                "PARAMCD": "SUMDIAM",
                "AVAL": a.sum_mm,
                "BASE": base,
                "ADT": a.date,
                "ADY": a.day + 1,
                "AVISIT": a.visit,
                "PCHG": 100.0 * (a.sum_mm - base) / base,
                "NEWLES": "Y" if a.new_lesions else "N",
            }
            for a in p.assessments
            if a.sum_mm is not None
        ]
        visits += [
            {
                "USUBJID": p.usubjid,
                "SITEID": p.candidate.site,
                "VISITDY": a.nominal_day,
                "STATUS": "done",
            }
            for a in p.assessments
        ]
        visits += [
            {"USUBJID": p.usubjid, "SITEID": p.candidate.site, "VISITDY": m, "STATUS": "missed"}
            for m in p.missed_visit_days
        ]
        ct += [
            {
                "USUBJID": p.usubjid,
                "SITEID": p.candidate.site,
                "TIMEPOINT": s.timepoint,
                "COLLECTED": "Y" if s.collected else "N",
            }
            for s in p.ctdna
        ]
    randomized = {p.candidate.candidate_id: p.usubjid for p in trial.patients}
    screening = pd.DataFrame(
        [
            {
                "SCRID": c.candidate_id,
                "SITEID": c.site,
                "ELIGFL": "Y" if c.planned_failure is None else "N",
                "FAILCRIT": (c.planned_failure or "").split("-")[0] or None,
                "RANDFL": "Y" if c.candidate_id in randomized else "N",
                "USUBJID": randomized.get(c.candidate_id),
            }
            for c in trial.candidates
        ]
    )
    return AnalysisFrames(
        adsl,
        datasets.adtte(results, study),
        datasets.adrs(results, study),
        pd.DataFrame(tr),
        datasets.adae(results, study),
        screening,
        pd.DataFrame(visits),
        pd.DataFrame(ct),
    )


def report_inputs(trial: SyntheticTrial) -> ReportInputs:
    """The frames of a synthetic trial with the shipped protocol, ready for
    :func:`oligotrial.reports.build_report`."""
    f = analysis_frames(trial)
    return ReportInputs(
        f.adsl,
        f.adtte,
        f.adrs,
        f.adae,
        adtr=f.adtr,
        screening=f.screening,
        visits=f.visits,
        ctdna=f.ctdna,
        protocol=load_protocol(),
        data_cutoff=trial.cutoff,
        data_source=f"synthetic (scenario {trial.scenario.name}, seed {trial.seed})",
    )
