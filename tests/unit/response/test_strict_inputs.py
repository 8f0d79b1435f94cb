"""Strict assessment input: ``true`` and ``"30"`` are not sizes, NaN and infinity are
refused with their own message, a JSON integer is a size, flags are true or false."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from oligotrial.response.inputs import TumourRecord


def _record(**target: Any) -> dict[str, Any]:
    lesion = {"id": "T1", "role": "target", "organ": "liver", "longest_mm": 32} | target
    return {
        "randomization_date": "2025-03-03",
        "baseline": [lesion],
        "assessments": [{"date": "2025-04-28", "targets": [{"lesion": "T1", "mm": 24}]}],
    }


def _problem(data: dict[str, Any]) -> tuple[tuple[Any, ...], str]:
    with pytest.raises(ValidationError) as caught:
        TumourRecord.model_validate(data)
    err = caught.value.errors()[0]
    return err["loc"], str(err["msg"])


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"longest_mm": True}, "Input should be a valid number"),
        ({"longest_mm": "30"}, "Input should be a valid number"),
        ({"longest_mm": float("nan")}, "must be a finite number, not NaN"),
        ({"longest_mm": float("inf")}, "must be a finite number, not infinity"),
        ({"slice_thickness_mm": False}, "Input should be a valid number"),
        ({"previously_irradiated": 1}, "Input should be a valid boolean"),
        ({"intrahepatic": "true"}, "Input should be a valid boolean"),
    ],
)
def test_baseline_values_are_taken_strictly(change: dict[str, Any], words: str) -> None:
    loc, message = _problem(_record(**change))
    assert loc[:3] == ("baseline", 0, next(iter(change)))
    assert words in message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "Input should be a valid number"),
        ("24", "Input should be a valid number"),
        (float("nan"), "must be a finite number, not NaN"),
        (float("-inf"), "must be a finite number, not -infinity"),
    ],
)
def test_follow_up_sizes_are_taken_strictly(value: Any, words: str) -> None:
    data = _record()
    data["assessments"][0]["targets"][0]["mm"] = value
    loc, message = _problem(data)
    assert loc[:5] == ("assessments", 0, "targets", 0, "mm")
    assert words in message


def test_fragments_and_dates_are_taken_strictly() -> None:
    data = _record()
    data["assessments"][0]["targets"][0] = {"lesion": "T1", "fragments_mm": [10, float("nan")]}
    loc, message = _problem(data)
    assert loc[:6] == ("assessments", 0, "targets", 0, "fragments_mm", 1)
    assert "not NaN" in message
    data = _record()
    data["assessments"][0]["date"] = 20250428
    loc, message = _problem(data)
    assert loc[:3] == ("assessments", 0, "date") and "a date is text" in message


def test_a_json_integer_is_a_size() -> None:
    record = TumourRecord.model_validate(_record(longest_mm=32))
    assert record.baseline[0].longest_mm == 32.0
    assert isinstance(record.assessments[0].targets[0].mm, float)
