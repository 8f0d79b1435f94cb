"""AFP threshold (E9): 9,999 vs 10,000 ng/mL, and IU/mL."""

from __future__ import annotations

import math

import pytest

from oligotrial.clinical.afp import afp_at_or_above, afp_at_or_above_in
from oligotrial.errors import InputError


@pytest.mark.parametrize(
    ("afp", "expected"),
    [(9_999.0, False), (9_999.99, False), (10_000.0, True), (250_000, True), (0.0, False)],
)
def test_default_threshold(afp: float, expected: bool) -> None:
    assert afp_at_or_above(afp) is expected


def test_custom_threshold() -> None:
    assert afp_at_or_above(400.0, threshold=400.0)
    assert not afp_at_or_above(399.9, threshold=400.0)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (8_264.0, "IU/mL", False),  # 9,999.44 ng/mL
        (8_265.0, "IU/mL", True),  # 10,000.65 ng/mL
        (10_000 / 1.21, "IU/mL", True),  # exactly 10,000 ng/mL after conversion
        (10_000.0, "µg/L", True),
        (9_999.0, "ng/mL", False),
    ],
)
def test_units(value: float, unit: str, expected: bool) -> None:
    assert afp_at_or_above_in(value, unit) is expected


def test_unknown_unit() -> None:
    with pytest.raises(InputError) as err:
        afp_at_or_above_in(10.0, "mg/dL")
    assert err.value.field == "afp.unit"
    assert "IU/mL" in err.value.problem


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, True])
def test_impossible(bad: float) -> None:
    with pytest.raises(InputError) as err:
        afp_at_or_above(bad)
    assert err.value.field == "afp_ng_ml"
