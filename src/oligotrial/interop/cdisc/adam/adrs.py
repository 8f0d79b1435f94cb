"""ADRS (tumour response, BDS) and ADTR (sum of target lesion diameters, BDS).

ADRS: PARAMCD OVR, the overall response at each tumour assessment, then one BOR (or CBOR,
confirmed) row per patient, as the response engine derives them under the protocol's
criteria. AVALC is the response, AVAL its rank (1 = CR ... 6 = NE, the engine's order of
best response). AVISIT is the scheduled assessment whose window (protocol schedule) holds
the scan ("WEEK 8"), else "UNSCHEDULED"; ADY counts from randomization as day 1.
ADTR: PARAMCD SUMDIAM, the sum of target diameters (mm) with BASE and PCHG at each
assessment where the whole sum is known (a partial sum that called PD is not an AVAL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from oligotrial.endpoints.derive import PatientEndpoints
from oligotrial.endpoints.schedule import scheduled_days
from oligotrial.endpoints.settings import ScheduleBlock
from oligotrial.interop.cdisc.adam.context import (
    SUBJECT_VARIABLES,
    TREATMENT_VARIABLES,
    StudyContext,
    by_subject,
    subject_values,
)
from oligotrial.interop.cdisc.dataset import Dataset, frame_of, variables
from oligotrial.response.timepoint import RANK

CRITERIA_NAMES = {"recist1.1": "RECIST 1.1", "mrecist": "mRECIST"}

_VISIT_VARIABLES = variables(
    ("ADT", "Analysis Date", "date"),
    ("ADY", "Analysis Relative Day", "integer"),
    ("AVISIT", "Analysis Visit"),
    ("AVISITN", "Analysis Visit (N)", "integer"),
)
ADRS_VARIABLES = (
    *SUBJECT_VARIABLES,
    *TREATMENT_VARIABLES,
    *variables(
        ("PARAM", "Parameter"),
        ("PARAMCD", "Parameter Code"),
        ("PARAMN", "Parameter (N)", "integer"),
        ("AVALC", "Analysis Value (C)"),
        ("AVAL", "Analysis Value", "integer"),
    ),
    *_VISIT_VARIABLES,
    *variables(("ITTFL", "Intent-To-Treat Population Flag")),
)
ADTR_VARIABLES = (
    *SUBJECT_VARIABLES,
    *TREATMENT_VARIABLES,
    *variables(
        ("PARAM", "Parameter"),
        ("PARAMCD", "Parameter Code"),
        ("AVAL", "Analysis Value", "float"),
        ("BASE", "Baseline Value", "float"),
        ("PCHG", "Percent Change from Baseline", "float"),
    ),
    *_VISIT_VARIABLES,
)


def analysis_visit(day: int, schedule: Sequence[ScheduleBlock]) -> tuple[str, int | None]:
    """(AVISIT, AVISITN in weeks) of a scan ``day`` days after randomization."""
    for target, window in scheduled_days(schedule, day):
        if abs(day - target) <= window:
            week = round(target / 7)
            return f"WEEK {week}", week
    return "UNSCHEDULED", None


def _parameters(r: PatientEndpoints) -> tuple[str, str]:
    criteria = CRITERIA_NAMES.get(r.response.criteria if r.response else "", "")
    by = f" per {criteria}" if criteria else ""
    best = "Confirmed Best Overall Response" if r.best.confirmed else "Best Overall Response"
    return f"Overall Response{by}", f"{best}{by}"


def adrs_rows(
    r: PatientEndpoints,
    subject: Mapping[str, Any],
    ctx: StudyContext,
    schedule: Sequence[ScheduleBlock],
) -> list[dict[str, Any]]:
    base = {**subject_values(r, subject, ctx), "ITTFL": "Y"}
    overall, best = _parameters(r)
    rows = []
    for tp in r.response.time_points if r.response else ():
        visit, week = analysis_visit(tp.day, schedule)
        rows.append(
            {
                **base,
                "PARAM": overall,
                "PARAMCD": "OVR",
                "PARAMN": 1,
                "AVALC": tp.overall,
                "AVAL": RANK[tp.overall] + 1,
                "ADT": tp.date,
                "ADY": tp.day + 1,
                "AVISIT": visit,
                "AVISITN": week,
            }
        )
    rows.append(
        {
            **base,
            "PARAM": best,
            "PARAMCD": "CBOR" if r.best.confirmed else "BOR",
            "PARAMN": 2,
            "AVALC": r.best.response,
            "AVAL": RANK[r.best.response] + 1,
            "ADT": r.best.date,
            "ADY": None
            if r.best.date is None
            else (r.best.date - r.patient.randomization_date).days + 1,
        }
    )
    return rows


def adtr_rows(
    r: PatientEndpoints,
    subject: Mapping[str, Any],
    ctx: StudyContext,
    schedule: Sequence[ScheduleBlock],
) -> list[dict[str, Any]]:
    res = r.response
    if res is None:
        return []
    rows = []
    for tp in res.time_points:
        if tp.sum_partial or tp.sum_mm is None:
            continue
        visit, week = analysis_visit(tp.day, schedule)
        rows.append(
            {
                **subject_values(r, subject, ctx),
                "PARAM": "Sum of Target Lesion Diameters (mm)",
                "PARAMCD": "SUMDIAM",
                "AVAL": tp.sum_mm,
                "BASE": res.baseline_sum_mm,
                "PCHG": tp.change_from_baseline_pct,
                "ADT": tp.date,
                "ADY": tp.day + 1,
                "AVISIT": visit,
                "AVISITN": week,
            }
        )
    return rows


def _tumour_bds(
    name: str,
    label: str,
    spec: Sequence[Any],
    rows_of: Any,
    note: str,
    results: Sequence[PatientEndpoints],
    subjects: Sequence[Mapping[str, Any]],
    ctx: StudyContext,
    schedule: Sequence[ScheduleBlock],
) -> Dataset:
    """A BDS data set of one row per assessment (and parameter) from ``rows_of``."""
    rows_by_id = by_subject(subjects)
    rows = [
        row
        for r in results
        for row in rows_of(r, rows_by_id.get(r.patient.subject_id, {}), ctx, schedule)
    ]
    return Dataset(
        name,
        label,
        tuple(spec),
        frame_of(rows, spec),
        keys=("STUDYID", "USUBJID", "PARAMCD", "ADT"),
        structure="BDS",
        notes=(note,),
    )


def adrs(
    results: Sequence[PatientEndpoints],
    subjects: Sequence[Mapping[str, Any]],
    ctx: StudyContext,
    schedule: Sequence[ScheduleBlock],
) -> Dataset:
    """ADRS: OVR rows per assessment, then BOR (or CBOR) per patient."""
    return _tumour_bds(
        "ADRS",
        "Tumour Response Analysis Dataset",
        ADRS_VARIABLES,
        adrs_rows,
        "AVAL ranks AVALC: 1 CR, 2 PR, 3 SD, 4 NON-CR/NON-PD, 5 PD, 6 NE.",
        results,
        subjects,
        ctx,
        schedule,
    )


def adtr(
    results: Sequence[PatientEndpoints],
    subjects: Sequence[Mapping[str, Any]],
    ctx: StudyContext,
    schedule: Sequence[ScheduleBlock],
) -> Dataset:
    """ADTR: the sum of target lesion diameters at each assessment with its full sum."""
    return _tumour_bds(
        "ADTR",
        "Tumour Results Analysis Dataset",
        ADTR_VARIABLES,
        adtr_rows,
        "BASE is the baseline sum; PCHG = 100 x (AVAL - BASE) / BASE.",
        results,
        subjects,
        ctx,
        schedule,
    )
