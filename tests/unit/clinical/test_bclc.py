"""BCLC 2022: every stage and its edges, liver-function settings, input checks."""

from __future__ import annotations

from typing import Any

import pytest

from oligotrial.clinical.bclc import bclc_stage, liver_function_status
from oligotrial.clinical.child_pugh import child_pugh
from oligotrial.errors import InputError

BASE: dict[str, Any] = {
    "tumour_count": 1,
    "largest_tumour_mm": 15.0,
    "macrovascular_invasion": False,
    "extrahepatic_spread": False,
    "ecog": 0,
    "child_pugh": 5,
}


def stage(**changes: Any) -> str:
    return bclc_stage(**{**BASE, **changes}).stage


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "0"),
        ({"largest_tumour_mm": 20.0}, "0"),
        ({"largest_tumour_mm": 20.1}, "A"),
        ({"largest_tumour_mm": 80.0}, "A"),
        ({"tumour_count": 2, "largest_tumour_mm": 15.0}, "A"),
        ({"tumour_count": 3, "largest_tumour_mm": 30.0}, "A"),
        ({"tumour_count": 3, "largest_tumour_mm": 30.1}, "B"),
        ({"tumour_count": 4, "largest_tumour_mm": 10.0}, "B"),
        ({"tumour_count": 2, "largest_tumour_mm": 45.0}, "B"),
        ({"macrovascular_invasion": True}, "C"),
        ({"extrahepatic_spread": True}, "C"),
        ({"ecog": 1}, "C"),
        ({"ecog": 2, "tumour_count": 6, "largest_tumour_mm": 50.0}, "C"),
        ({"ecog": 3}, "D"),
        ({"ecog": 4, "macrovascular_invasion": True}, "D"),
        ({"child_pugh": 10}, "D"),
        ({"child_pugh": 15, "extrahepatic_spread": True}, "D"),
    ],
)
def test_stages(changes: dict[str, Any], expected: str) -> None:
    assert stage(**changes) == expected


def test_reason_in_words() -> None:
    result = bclc_stage(**{**BASE, "macrovascular_invasion": True, "ecog": 1, "child_pugh": 6})
    assert (
        result.reason == "macrovascular invasion and ECOG 1; preserved liver function "
        "(Child-Pugh A6)"
    )
    d = bclc_stage(**{**BASE, "child_pugh": 11})
    assert d.reason == "end-stage liver function (Child-Pugh C11)"


def test_accepts_child_pugh_result() -> None:
    cp = child_pugh(
        bilirubin_umol_l=40.0, albumin_g_l=40.0, inr=1.0, ascites="none", encephalopathy="none"
    )
    result = bclc_stage(**{**BASE, "child_pugh": cp, "extrahepatic_spread": True})
    assert (result.stage, result.liver_function) == ("C", "preserved")


@pytest.mark.parametrize(
    ("score", "preserved", "status"),
    [
        (5, "A", "preserved"),
        (6, "A", "preserved"),
        (7, "A", "not-preserved"),
        (7, "B7", "preserved"),
        (8, "B7", "not-preserved"),
        (9, "A", "not-preserved"),
        (10, "A", "end-stage"),
        (10, "B7", "end-stage"),
    ],
)
def test_liver_function_setting(score: int, preserved: str, status: str) -> None:
    assert liver_function_status(score, preserved=preserved) == status  # type: ignore[arg-type]


def test_not_preserved_is_flagged_not_hidden() -> None:
    result = bclc_stage(**{**BASE, "child_pugh": 7, "extrahepatic_spread": True})
    assert result.stage == "C"
    assert result.liver_function == "not-preserved"
    assert "not preserved (Child-Pugh B7)" in result.reason
    with_b7 = bclc_stage(**{**BASE, "child_pugh": 7, "extrahepatic_spread": True}, preserved="B7")
    assert with_b7.liver_function == "preserved"


def test_size_needed_only_when_it_decides() -> None:
    assert stage(largest_tumour_mm=None, macrovascular_invasion=True) == "C"
    with pytest.raises(InputError) as err:
        stage(largest_tumour_mm=None)
    assert err.value.field == "largest_tumour_mm"


def test_extrahepatic_only_disease() -> None:
    assert stage(tumour_count=0, largest_tumour_mm=None, extrahepatic_spread=True) == "C"
    with pytest.raises(InputError) as err:
        stage(tumour_count=0, largest_tumour_mm=None)
    assert err.value.field == "tumour_count"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ecog": 5}, "ecog"),
        ({"ecog": 6}, "ecog"),
        ({"tumour_count": -1}, "tumour_count"),
        ({"largest_tumour_mm": -3.0}, "largest_tumour_mm"),
        ({"largest_tumour_mm": 0.0}, "largest_tumour_mm"),
        ({"child_pugh": 4}, "child_pugh"),
        ({"child_pugh": 16}, "child_pugh"),
    ],
)
def test_impossible_inputs(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as err:
        stage(**changes)
    assert err.value.field == field
