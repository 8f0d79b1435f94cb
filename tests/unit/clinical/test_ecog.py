"""ECOG validation."""

from __future__ import annotations

import math

import pytest

from oligotrial.clinical.ecog import ECOG_DESCRIPTIONS, check_ecog
from oligotrial.errors import InputError


@pytest.mark.parametrize(("value", "grade"), [(0, 0), (1, 1), (5, 5), (2.0, 2), (" 3 ", 3)])
def test_valid(value: object, grade: int) -> None:
    assert check_ecog(value) == grade


@pytest.mark.parametrize("value", [-1, 6, 1.5, True, "one", None, math.nan, "-1"])
def test_invalid(value: object) -> None:
    with pytest.raises(InputError) as err:
        check_ecog(value, field="screening.ecog")
    assert err.value.field == "screening.ecog"


def test_every_grade_described() -> None:
    assert sorted(ECOG_DESCRIPTIONS) == [0, 1, 2, 3, 4, 5]
