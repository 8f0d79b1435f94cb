"""Builders for compact tumour records in the response tests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from oligotrial.response import TumourRecord

RAND = dt.date(2025, 1, 1)


def target(lesion_id: str, size: float, organ: str = "liver", **extra: Any) -> dict[str, Any]:
    if extra.get("nodal"):
        return {"id": lesion_id, "role": "target", "organ": organ, "short_axis_mm": size, **extra}
    return {"id": lesion_id, "role": "target", "organ": organ, "longest_mm": size, **extra}


def non_target(lesion_id: str, organ: str = "bone", **extra: Any) -> dict[str, Any]:
    return {"id": lesion_id, "role": "non-target", "organ": organ, **extra}


def visit(
    day: int,
    targets: dict[str, Any] | None = None,
    non_targets: dict[str, str] | None = None,
    new: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    entries = []
    for lesion_id, value in (targets or {}).items():
        if isinstance(value, str):
            entries.append({"lesion": lesion_id, "status": value})
        elif isinstance(value, list):
            entries.append({"lesion": lesion_id, "fragments_mm": value})
        elif isinstance(value, dict):
            entries.append({"lesion": lesion_id, **value})
        else:
            entries.append({"lesion": lesion_id, "mm": value})
    return {
        "date": (RAND + dt.timedelta(days=day)).isoformat(),
        "targets": entries,
        "non_targets": [{"lesion": k, "status": v} for k, v in (non_targets or {}).items()],
        "new_lesions": new or [],
    }


def record(
    baseline: list[dict[str, Any]], visits: list[dict[str, Any]], **extra: Any
) -> TumourRecord:
    return TumourRecord.model_validate(
        {
            "randomization_date": RAND.isoformat(),
            "baseline": baseline,
            "assessments": visits,
            **extra,
        }
    )


@pytest.fixture
def b() -> SimpleNamespace:
    """The builders, as a fixture (test modules are imported by path, not as a package)."""
    return SimpleNamespace(
        target=target, non_target=non_target, visit=visit, record=record, rand=RAND
    )
