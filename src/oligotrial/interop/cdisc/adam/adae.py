"""ADAE, adverse events analysis data set (ADaM OCCDS 1.1, ADAE structure).

One row per adverse event as recorded, numbered AESEQ in the record's order (onset date)
within each patient. AEDECOD and AEBODSYS are the CTCAE v5.0 term and its system organ
class (MedDRA itself needs a licence). AETOXGR is the recorded grade, ATOXGR the analysed
one (the same: no regrading). TRTEMFL marks events starting on or after randomization
(REFERENCE section 4); ASTDY counts from randomization as day 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from oligotrial.endpoints.derive import PatientEndpoints
from oligotrial.endpoints.safety import emergent
from oligotrial.interop.cdisc.adam.context import (
    SUBJECT_VARIABLES,
    StudyContext,
    by_subject,
    subject_values,
)
from oligotrial.interop.cdisc.dataset import Dataset, frame_of, variables

ADAE_VARIABLES = (
    *SUBJECT_VARIABLES,
    *variables(
        ("TRTA", "Actual Treatment"),
        ("SAFFL", "Safety Population Flag"),
        ("AESEQ", "Sequence Number", "integer"),
        ("AETERM", "Reported Term for the Adverse Event"),
        ("AEDECOD", "Dictionary-Derived Term"),
        ("AEBODSYS", "Body System or Organ Class"),
        ("AETOXGR", "Standard Toxicity Grade"),
        ("ATOXGR", "Analysis Toxicity Grade"),
        ("ASTDT", "Analysis Start Date", "date"),
        ("ASTDY", "Analysis Start Relative Day", "integer"),
        ("AENDT", "Analysis End Date", "date"),
        ("AESER", "Serious Event"),
        ("AESCONG", "Congenital Anomaly or Birth Defect"),
        ("AESDISAB", "Persist or Signif Disability/Incapacity"),
        ("AESDTH", "Results in Death"),
        ("AESHOSP", "Requires or Prolongs Hospitalization"),
        ("AESLIFE", "Is Life Threatening"),
        ("AESMIE", "Other Medically Important Serious Event"),
        ("AREL", "Analysis Causality"),
        ("TRTEMFL", "Treatment Emergent Analysis Flag"),
    ),
)


def study_day(day: dt.date, reference: dt.date) -> int:
    """CDISC study day: day 1 is the reference date, the day before is -1 (no day 0)."""
    delta = (day - reference).days
    return delta + 1 if delta >= 0 else delta


#: the seriousness criterion flags, as in SDTM AE, and the criterion each one records
CRITERIA = {
    "AESCONG": "congenital_anomaly",
    "AESDISAB": "disability",
    "AESDTH": "death",
    "AESHOSP": "hospitalisation",
    "AESLIFE": "life_threatening",
    "AESMIE": "medically_important",
}


def seriousness(ae: Any) -> dict[str, str | None]:
    """AESER and the criterion flags as SDTM AE has them: a fatal (grade 5) event is
    serious and results in death (ICH E2A); the flags are Y / N for a serious event, null
    for one that is not."""
    serious = ae.serious or ae.grade == 5
    met = {
        var: name in ae.criteria or (var == "AESDTH" and ae.grade == 5)
        for var, name in CRITERIA.items()
    }
    flags = {var: ("Y" if m else "N") if serious else None for var, m in met.items()}
    return {"AESER": "Y" if serious else "N", **flags}


def adae_rows(
    r: PatientEndpoints, subject: Mapping[str, Any], ctx: StudyContext
) -> list[dict[str, Any]]:
    p = r.patient
    ids = subject_values(r, subject, ctx)
    base = {k: ids[k] for k in ("STUDYID", "USUBJID", "SUBJID", "SITEID", "TRTA")}
    base["SAFFL"] = "Y" if ids["TRTA"] is not None else "N"
    te = set(map(id, emergent(p)))
    return [
        {
            **base,
            "AESEQ": seq,
            "AETERM": ae.term,
            "AEDECOD": ae.term,
            "AEBODSYS": ae.soc,
            "AETOXGR": str(ae.grade),
            "ATOXGR": str(ae.grade),
            "ASTDT": ae.start_date,
            "ASTDY": study_day(ae.start_date, p.randomization_date),
            "AENDT": ae.end_date,
            **seriousness(ae),
            "AREL": ae.attribution.upper(),
            "TRTEMFL": "Y" if id(ae) in te else None,
        }
        for seq, ae in enumerate(p.adverse_events, start=1)
    ]


def adae(
    results: Sequence[PatientEndpoints], subjects: Sequence[Mapping[str, Any]], ctx: StudyContext
) -> Dataset:
    """ADAE of every recorded adverse event."""
    rows_by_id = by_subject(subjects)
    rows = [
        row for r in results for row in adae_rows(r, rows_by_id.get(r.patient.subject_id, {}), ctx)
    ]
    return Dataset(
        "ADAE",
        "Adverse Events Analysis Dataset",
        ADAE_VARIABLES,
        frame_of(rows, ADAE_VARIABLES),
        keys=("STUDYID", "USUBJID", "AESEQ"),
        structure="OCCDS",
        notes=(
            "AEDECOD and AEBODSYS: CTCAE v5.0 terms and system organ classes, not MedDRA.",
            "AESEQ numbers the events in onset order within each subject.",
        ),
    )
