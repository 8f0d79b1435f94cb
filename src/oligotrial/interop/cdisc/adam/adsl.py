"""ADSL, the subject-level analysis data set (ADaM IG 1.3, section 3.2).

One row per randomized patient. Identifiers, demographics, the randomized and actual arm
(ARM/ACTARM, TRT01P/TRT01A, names from the protocol file), the strata used for
randomization (STRATwR, in the protocol's order of factors other than site, which is
SITEID), population flags, dates (numeric with a SAS date format) and the end of study.

End of study (EOSSTT, DCSREAS, EOSDT): "DISCONTINUED" at death or at withdrawal,
whichever came first, with the NCI controlled terms "DEATH", "LOST TO FOLLOW-UP" and
"WITHDRAWAL BY SUBJECT" (codelist C66727); otherwise "ONGOING". DTHFL is "Y" or null
(ADaM IG: null, not "N", when the subject did not die). RACE is null: the database does
not record it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from oligotrial.endpoints.derive import PatientEndpoints
from oligotrial.interop.cdisc.adam.context import (
    NOT_TREATED,
    StudyContext,
    by_subject,
    treated,
)
from oligotrial.interop.cdisc.dataset import Dataset, Variable, frame_of, variables

DCSREAS_TERMS = {"lost-to-follow-up": "LOST TO FOLLOW-UP", "withdrew": "WITHDRAWAL BY SUBJECT"}

#: Baseline and treatment values the database extract supplies, as ADSL variables.
SUBJECT_COLUMNS = variables(
    ("RANDNO", "Randomization Number"),
    ("AGE", "Age", "integer"),
    ("AGEU", "Age Units"),
    ("AGEGR1", "Pooled Age Group 1"),
    ("SEX", "Sex"),
    ("RACE", "Race"),
)
_LATER = variables(
    ("ITTFL", "Intent-To-Treat Population Flag"),
    ("SAFFL", "Safety Population Flag"),
    ("RANDDT", "Date of Randomization", "date"),
    ("TRTSDT", "Date of First Exposure to Treatment", "date"),
    ("TRTEDT", "Date of Last Exposure to Treatment", "date"),
    ("DCTREAS", "Reason for Discontinuation of Treatment"),
    ("EOSSTT", "End of Study Status"),
    ("EOSDT", "End of Study Date", "date"),
    ("DCSREAS", "Reason for Discontinuation from Study"),
    ("DTHFL", "Subject Death Flag"),
    ("DTHDT", "Date of Death", "date"),
    ("LSTALVDT", "Date Last Known Alive", "date"),
    ("NACTDT", "Date of New Anticancer Therapy", "date"),
    ("ECOGBL", "Baseline ECOG Performance Status", "integer"),
    ("CPSCORE", "Baseline Child-Pugh Score", "integer"),
    ("AFPBL", "Baseline Alpha-Fetoprotein (ng/mL)", "float"),
    ("BCLC", "BCLC Stage at First-Line Therapy Start"),
    ("NPROGLES", "Number of Oligoprogressive Lesions", "integer"),
    ("HBSAG", "Baseline HBsAg"),
    ("AETIOL", "Aetiology of Liver Disease"),
    ("FLSTREG", "First-Line Systemic Therapy Regimen"),
)
_ARMS = variables(
    ("ARM", "Description of Planned Arm"),
    ("ARMCD", "Planned Arm Code"),
    ("ACTARM", "Description of Actual Arm"),
    ("ACTARMCD", "Actual Arm Code"),
    ("TRT01P", "Planned Treatment for Period 01"),
    ("TRT01A", "Actual Treatment for Period 01"),
)
#: Values the database does not hold: always null, named in the data set's notes.
NOT_HELD = ("RACE", "HBSAG", "AETIOL")


def adsl_variables(ctx: StudyContext) -> tuple[Variable, ...]:
    ids = variables(
        ("STUDYID", "Study Identifier"),
        ("USUBJID", "Unique Subject Identifier"),
        ("SUBJID", "Subject Identifier for the Study"),
        ("SITEID", "Study Site Identifier"),
    )
    strata = tuple(
        Variable(f"STRAT{i}R", f"Strata {i} Used for Randomization")
        for i in range(1, len(ctx.strata) + 1)
    )
    return (*ids, *SUBJECT_COLUMNS, *_ARMS, *strata, *_LATER)


def end_of_study(r: PatientEndpoints) -> tuple[str, Any, str | None]:
    """(EOSSTT, EOSDT, DCSREAS): the earlier of death and withdrawal ends the study."""
    p = r.patient
    ends: list[tuple[Any, int, str]] = []
    if p.death_date is not None:
        ends.append((p.death_date, 0, "DEATH"))
    if p.withdrawal is not None:
        ends.append((p.withdrawal.date, 1, DCSREAS_TERMS[p.withdrawal.reason]))
    if not ends:
        return "ONGOING", None, None
    day, _, reason = min(ends)
    return "DISCONTINUED", day, reason


def adsl_row(r: PatientEndpoints, subject: Mapping[str, Any], ctx: StudyContext) -> dict[str, Any]:
    """One ADSL row from the patient's endpoints and the database's subject values."""
    p = r.patient
    arm = ctx.arm_name(p.arm)
    on_treatment = treated(subject)
    act_arm, act_code = (arm, p.arm) if on_treatment else NOT_TREATED
    status, eos_date, reason = end_of_study(r)
    row: dict[str, Any] = {k: subject.get(k) for k in subject}
    row.update(
        STUDYID=ctx.studyid,
        USUBJID=p.subject_id,
        SUBJID=p.subject_id,
        AGEU="YEARS" if subject.get("AGE") is not None else None,
        RACE=None,
        ARM=arm,
        ARMCD=p.arm,
        ACTARM=act_arm,
        ACTARMCD=act_code,
        TRT01P=arm,
        TRT01A=arm if on_treatment else None,
        ITTFL="Y",
        SAFFL="Y" if on_treatment else "N",
        RANDDT=p.randomization_date,
        EOSSTT=status,
        EOSDT=eos_date,
        DCSREAS=reason,
        DTHFL="Y" if p.death_date else None,
        DTHDT=p.death_date,
        LSTALVDT=p.last_known_alive,
        NACTDT=p.new_therapy_date,
    )
    for i, factor in enumerate(ctx.strata, start=1):
        row[f"STRAT{i}R"] = p.strata.get(factor)
    return row


def adsl(
    results: Sequence[PatientEndpoints], subjects: Sequence[Mapping[str, Any]], ctx: StudyContext
) -> Dataset:
    """ADSL of every randomized patient (``subjects``: the extract's subject rows)."""
    rows_by_id = by_subject(subjects)
    specs = adsl_variables(ctx)
    rows = [adsl_row(r, rows_by_id.get(r.patient.subject_id, {}), ctx) for r in results]
    strata = "; ".join(f"STRAT{i}R: {f}" for i, f in enumerate(ctx.strata, start=1))
    return Dataset(
        "ADSL",
        "Subject-Level Analysis Dataset",
        specs,
        frame_of(rows, specs),
        keys=("STUDYID", "USUBJID"),
        structure="ADSL",
        notes=(
            f"Strata used for randomization: {strata}; the site stratum is SITEID.",
            "RACE, HBSAG and AETIOL are null where the database does not record them.",
            "ADY and --DY days count from RANDDT as day 1.",
        ),
    )
