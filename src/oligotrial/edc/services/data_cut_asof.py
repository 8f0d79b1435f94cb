"""The database "as of" a cut-off date: only what happened on or before it.

A data cut reads the live database (every row as it stands when the cut is made, in one
snapshot whose audit chain head the cut records) and keeps the clinical data dated on or
before the cut-off: patients randomized by then; assessments, adverse events (by onset),
deaths, withdrawals and new therapies dated by then; an adverse event or a treatment
period that ended after the cut-off is ongoing at it; visits done by then, or missed with
their due date by then; screenings made by then; ctDNA samples collected by then. Follow-up
of a patient still alive ends at the cut-off. A value entered after the cut-off about an
earlier event is in the cut if it was in the database when the cut was made: the recorded
chain head names exactly the audit entries that built the data read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from oligotrial.edc.export import DatabaseExtract
from oligotrial.endpoints.inputs import PatientRecord


def _record(p: PatientRecord, cutoff: dt.date) -> PatientRecord:
    def by(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= cutoff else None

    withdrawal = p.withdrawal if p.withdrawal and p.withdrawal.date <= cutoff else None
    alive = p.last_known_alive
    return p.model_copy(
        update={
            "assessments": tuple(a for a in p.assessments if a.date <= cutoff),
            "death_date": by(p.death_date),
            "withdrawal": withdrawal,
            "new_therapy_date": by(p.new_therapy_date),
            "last_known_alive": min(alive, cutoff) if alive is not None else None,
            "adverse_events": tuple(
                ae.model_copy(update={"end_date": by(ae.end_date)})
                for ae in p.adverse_events
                if ae.start_date <= cutoff
            ),
        }
    )


def _subject(row: Mapping[str, Any], cutoff: dt.date) -> dict[str, Any]:
    out = dict(row)
    start = out.get("TRTSDT")
    if start is not None and start > cutoff:
        out.update(TRTA=None, TRTSDT=None, TRTSTOP=None, SAFFL="N")
    elif out.get("TRTSTOP") is not None and out["TRTSTOP"] > cutoff:
        out["TRTSTOP"] = None  # still on treatment at the cut-off
    return out


def _samples(rows: tuple[dict[str, Any], ...], cutoff: dt.date) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    kept: set[str] = set()
    for row in rows:
        taken = row["COLLECTED_ON"]
        if taken is not None and taken <= cutoff:
            out.append(row)
            kept.add(row["USUBJID"])
    for row in rows:  # a patient with no sample by the cut-off keeps one empty row
        if row["USUBJID"] not in kept:
            out.append({**row, "TIMEPOINT": None, "COLLECTED_ON": None})
            kept.add(row["USUBJID"])
    return out


def as_of(
    extract: DatabaseExtract,
    cutoff: dt.date,
    *,
    screened_on: Mapping[str, dt.date],
    visit_days: Mapping[tuple[str, int], dt.date | None],
) -> DatabaseExtract:
    """``extract`` restricted to data dated on or before ``cutoff`` (module docstring).

    ``screened_on``: screening number -> first screening date; ``visit_days``: (screening
    number, visit number) -> the visit's date when done, else its due date."""
    patients = [p for p in extract.patients if p.randomization_date <= cutoff]
    kept = {p.subject_id for p in patients}

    def dated(key: tuple[str, int]) -> bool:
        day = visit_days.get(key)
        return day is not None and day <= cutoff

    screening = []
    for row in extract.screening:
        day = screened_on.get(row["SCRID"])
        if day is None or day > cutoff:
            continue
        randomized = row["SCRID"] in kept
        screening.append(
            {
                **row,
                "RANDFL": "Y" if randomized else "N",
                "USUBJID": row["USUBJID"] if randomized else None,
            }
        )
    return replace(
        extract,
        data_cutoff=cutoff,
        patients=tuple(_record(p, cutoff) for p in patients),
        subjects=tuple(_subject(s, cutoff) for s in extract.subjects if s["USUBJID"] in kept),
        screening=tuple(screening),
        visits=tuple(
            v
            for v in extract.visits
            if v["USUBJID"] in kept and dated((v["USUBJID"], v["VISITNUM"]))
        ),
        samples=tuple(_samples(tuple(s for s in extract.samples if s["USUBJID"] in kept), cutoff)),
    )
