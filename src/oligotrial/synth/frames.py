"""Analysis data frames (ADSL, ADTTE, ADRS, ADTR, ADAE, ...) straight from a synthetic trial.

Column names follow CDISC ADaM (USUBJID, ARMCD, TRT01P, PARAMCD, AVAL, CNSR, ADT, ...).
The censoring rules are those of REFERENCE.md §4 (CNSR 1 no post-baseline assessment,
2 no event, 3 new anticancer therapy, 4 event after ≥ 2 missed assessments, 5 lost to
follow-up), applied to the generator's own records. A trial run through the services
derives the same frames with the endpoint package; these serve report development,
tests and calibration checks. Times (AVAL) are in months (days / 30.4375).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from oligotrial.reports.inputs import ReportInputs
from oligotrial.synth.models import DAYS_PER_MONTH
from oligotrial.synth.trial import SyntheticTrial, TrialPatient

ARM_NAMES = {"A": "RT + continued FLST", "B": "Early switch to SLST"}
CENSOR_REASONS = {
    1: "No baseline or no post-baseline adequate assessment",
    2: "No progression or death: last adequate assessment",
    3: "New anticancer therapy before progression",
    4: "Progression or death after two or more missed assessments",
    5: "Lost to follow-up or withdrew: last adequate assessment",
}
_RANK = {"CR": 4, "PR": 3, "SD": 2, "PD": 1, "NE": 0}


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


def _adsl_row(p: TrialPatient) -> dict[str, object]:
    c = p.candidate
    age = int((p.randomized - c.birth_date).days // 365.25)
    progressing = [x for x in c.lesions if x.progressing]
    return {
        "USUBJID": p.usubjid, "SITEID": c.site, "ARMCD": p.arm, "ARM": ARM_NAMES[p.arm],
        "TRT01P": ARM_NAMES[p.arm], "TRT01A": p.treatment, "RANDDT": p.randomized,
        "TRTSDT": _d(p, p.treatment_start_day), "TRTEDT": _d(p, p.treatment_end_day),
        "AGE": age, "AGEGR1": "<65" if age < 65 else ">=65", "SEX": c.sex,
        "AETIOL": c.aetiology, "ECOGBL": c.ecog,
        "CPSCORE": c.extras.get("child_pugh_score"), "FLSTREG": c.flst.regimen_name,
        "FLSTICI": "ICI" if c.flst.ici else "No ICI", "BCLC": c.bclc.stage,
        "OLIGOSIT": p.strata["oligoprogression_site"], "STRAT_ICI": p.strata["flst_ici"],
        "NPROGLES": len(progressing),
        "AFPBL": c.lab("afp").value * (1.21 if c.lab("afp").unit == "IU/mL" else 1.0),
        "HBSAG": "Positive" if c.hbv.hbsag_positive else "Negative",
        "ITTFL": "Y", "SAFFL": "Y",
        "EOSSTT": "DISCONTINUED" if p.dropout_day is not None else (
            "DEAD" if p.death_day is not None else "ONGOING"),
        "DCSREAS": p.treatment_end_reason,
        "DTHFL": "Y" if p.death_day is not None else "N",
        "DTHDT": _d(p, p.death_day) if p.death_day is not None else None,
        "LSTALVDT": _d(p, p.last_known_alive_day),
    }


def _pfs(p: TrialPatient) -> tuple[int, int, str]:
    """(day, CNSR, description) for PFS."""
    adequate = [a for a in p.assessments if a.expected_response != "NE"]
    pd_day = p.progression_day
    events = [d for d in (pd_day, p.death_day) if d is not None]
    event = min(events) if events else None
    if p.new_therapy_day is not None and (event is None or p.new_therapy_day < event):
        before = [a.day for a in adequate if a.day <= p.new_therapy_day]
        return (before[-1] if before else 0), 3, CENSOR_REASONS[3]
    if event is not None:
        prior = [a for a in adequate if a.day < event]
        last_nom = prior[-1].nominal_day if prior else 0
        gap = sum(1 for m in p.missed_visit_days if last_nom < m < event)
        if gap >= 2:
            return (prior[-1].day if prior else 0), 4, CENSOR_REASONS[4]
        return event, 0, "Progression" if event == pd_day else "Death"
    if not adequate:
        return 0, 1, CENSOR_REASONS[1]
    code = 5 if p.dropout_day is not None else 2
    return adequate[-1].day, code, CENSOR_REASONS[code]


def _tte(p: TrialPatient, code: str, start: date, day_end: date, cnsr: int,
         desc: str) -> dict[str, object]:
    return {"USUBJID": p.usubjid, "ARMCD": p.arm, "TRT01P": ARM_NAMES[p.arm], "PARAMCD": code,
            "PARAM": {"PFS": "Progression-free survival (months)",
                      "OS": "Overall survival (months)",
                      "DOR": "Duration of response (months)"}[code],
            "STARTDT": start, "ADT": day_end,
            "AVAL": (day_end - start).days / DAYS_PER_MONTH, "CNSR": cnsr,
            "EVNTDESC": desc if cnsr == 0 else None, "CNSDTDSC": desc if cnsr else None}


def best_overall_response(p: TrialPatient, sd_min_days: int = 42) -> tuple[str, date | None]:
    """Unconfirmed BOR up to first PD and before new therapy; SD needs ≥ sd_min_days."""
    best, first = "NE", None
    for a in p.assessments:
        if p.new_therapy_day is not None and a.day > p.new_therapy_day:
            break
        r = a.expected_response
        if r == "SD" and a.day < sd_min_days:
            r = "NE"
        if _RANK[r] > _RANK[best]:
            best = r
            first = a.date if r in ("CR", "PR") else first
        if r == "PD":
            break
    return best, first


def analysis_frames(trial: SyntheticTrial) -> AnalysisFrames:
    adsl, tte, rs, tr, ae, visits, ct = [], [], [], [], [], [], []
    for p in trial.patients:
        adsl.append(_adsl_row(p))
        day, cnsr, desc = _pfs(p)
        tte.append(_tte(p, "PFS", p.randomized, _d(p, day), cnsr, desc))
        os_day = p.death_day if p.death_day is not None else p.last_known_alive_day
        tte.append(_tte(p, "OS", p.randomized, _d(p, os_day), 0 if p.death_day is not None
                        else 2, "Death" if p.death_day is not None else "Last known alive"))
        bor, first = best_overall_response(p)
        if first is not None:
            tte.append(_tte(p, "DOR", first, _d(p, day), cnsr, desc))
        for a in p.assessments:
            rs.append({"USUBJID": p.usubjid, "ARMCD": p.arm, "PARAMCD": "OVR",
                       "AVALC": a.expected_response, "ADT": a.date, "ADY": a.day,
                       "AVISIT": a.visit})
            if a.sum_mm is not None:
                base = p.baseline.sum_mm
                tr.append({"USUBJID": p.usubjid, "ARMCD": p.arm, "PARAMCD": "SUMDIAM",
                           "AVAL": a.sum_mm, "BASE": base, "ADT": a.date, "ADY": a.day,
                           "AVISIT": a.visit, "PCHG": 100.0 * (a.sum_mm - base) / base,
                           "NEWLES": "Y" if a.new_lesions else "N"})
        rs.append({"USUBJID": p.usubjid, "ARMCD": p.arm, "PARAMCD": "BOR", "AVALC": bor,
                   "ADT": first, "ADY": None, "AVISIT": None})
        for e in p.adverse_events:
            ae.append({"USUBJID": p.usubjid, "ARMCD": p.arm, "TRT01A": ARM_NAMES[p.arm],
                       "AEDECOD": e.term, "AEBODSYS": e.soc, "AETOXGR": e.grade,
                       "AESER": "Y" if e.serious else "N", "TRTEMFL": "Y",
                       "ASTDT": _d(p, e.onset_day)})
        visits += [{"USUBJID": p.usubjid, "SITEID": p.candidate.site, "VISITDY": a.nominal_day,
                    "STATUS": "done"} for a in p.assessments]
        visits += [{"USUBJID": p.usubjid, "SITEID": p.candidate.site, "VISITDY": m,
                    "STATUS": "missed"} for m in p.missed_visit_days]
        ct += [{"USUBJID": p.usubjid, "SITEID": p.candidate.site, "TIMEPOINT": s.timepoint,
                "COLLECTED": "Y" if s.collected else "N"} for s in p.ctdna]
    randomized = {p.candidate.candidate_id: p.usubjid for p in trial.patients}
    screening = pd.DataFrame([{
        "SCRID": c.candidate_id, "SITEID": c.site, "ELIGFL": "Y" if c.planned_failure is None
        else "N", "FAILCRIT": (c.planned_failure or "").split("-")[0] or None,
        "RANDFL": "Y" if c.candidate_id in randomized else "N",
        "USUBJID": randomized.get(c.candidate_id)} for c in trial.candidates])
    return AnalysisFrames(pd.DataFrame(adsl), pd.DataFrame(tte), pd.DataFrame(rs),
                          pd.DataFrame(tr), pd.DataFrame(ae, columns=[
                              "USUBJID", "ARMCD", "TRT01A", "AEDECOD", "AEBODSYS", "AETOXGR",
                              "AESER", "TRTEMFL", "ASTDT"]), screening,
                          pd.DataFrame(visits), pd.DataFrame(ct))


def report_inputs(trial: SyntheticTrial, *, protocol_version: str = "1.0") -> ReportInputs:
    """The frames of a synthetic trial, ready for :func:`oligotrial.reports.build_report`."""
    f = analysis_frames(trial)
    return ReportInputs(f.adsl, f.adtte, f.adrs, f.adtr, f.adae, f.screening, f.visits, f.ctdna,
                        protocol_version=protocol_version, data_cutoff=trial.cutoff,
                        data_source=f"synthetic (scenario {trial.scenario.name}, "
                                    f"seed {trial.seed})")
