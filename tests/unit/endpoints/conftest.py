"""Builder of compact patient records: one 50 mm liver target; sizes give SD, PD or NE."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from oligotrial.endpoints import PatientRecord

RAND = dt.date(2025, 1, 1)
SD, PD, NE, PR = 50, 80, "not-assessed", 30


def day(n: int) -> dt.date:
    return RAND + dt.timedelta(days=n)


def patient(visits: list[tuple[int, Any]] = (), **extra: Any) -> PatientRecord:  # type: ignore[assignment]
    raw: dict[str, Any] = {
        "subject_id": extra.pop("subject_id", "001"),
        "randomization_date": RAND.isoformat(),
        "baseline": extra.pop(
            "baseline", [{"id": "T1", "role": "target", "organ": "liver", "longest_mm": 50}]
        ),
        "assessments": [
            {
                "date": day(d).isoformat(),
                "targets": [
                    {"lesion": "T1", "status": size}
                    if isinstance(size, str)
                    else {"lesion": "T1", "mm": size}
                ],
            }
            for d, size in visits
        ],
    }
    for key in ("death_date", "last_known_alive", "new_therapy_date"):
        if key in extra:
            raw[key] = day(extra.pop(key)).isoformat()
    if "withdrawal" in extra:
        when, reason = extra.pop("withdrawal")
        raw["withdrawal"] = {"date": day(when).isoformat(), "reason": reason}
    raw.update(extra)
    return PatientRecord.model_validate(raw)


@pytest.fixture
def p() -> SimpleNamespace:
    """Builders shared by the endpoint tests."""
    return SimpleNamespace(patient=patient, day=day, rand=RAND, SD=SD, PD=PD, NE=NE, PR=PR)
