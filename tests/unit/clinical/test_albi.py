"""ALBI score and grade: the published worked check, grade edges, input checks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oligotrial.clinical.albi import albi, albi_grade
from oligotrial.clinical.units import to_canonical
from oligotrial.errors import InputError


def test_worked_check_from_conventional_units() -> None:
    result = albi(to_canonical("bilirubin", 1.2, "mg/dL"), to_canonical("albumin", 3.5, "g/dL"))
    # 0.66 * log10(20.52) - 0.085 * 35, computed independently of the module
    assert result.score == pytest.approx(0.66 * math.log10(20.52) - 2.975, abs=1e-12)
    assert result.score == pytest.approx(-2.10, abs=0.01)
    assert result.grade == 2


def test_healthy_and_decompensated_examples() -> None:
    assert albi(8.0, 45.0).grade == 1  # -3.229
    assert albi(60.0, 25.0).grade == 3  # -0.951


@pytest.mark.parametrize(
    ("score", "grade"),
    [(-3.5, 1), (-2.60, 1), (-2.5999, 2), (-2.0, 2), (-1.39, 2), (-1.3899, 3), (0.5, 3)],
)
def test_grade_edges(score: float, grade: int) -> None:
    assert albi_grade(score) == grade


@pytest.mark.parametrize(
    ("bilirubin", "albumin"),
    [(0.0, 35.0), (-5.0, 35.0), (20.0, 0.0), (20.0, -1.0), (math.nan, 35.0), (20.0, math.inf)],
)
def test_impossible_inputs(bilirubin: float, albumin: float) -> None:
    with pytest.raises(InputError):
        albi(bilirubin, albumin)


def test_grade_rejects_nan() -> None:
    with pytest.raises(InputError):
        albi_grade(math.nan)


@given(
    bilirubin=st.floats(1.0, 500.0),
    albumin=st.floats(10.0, 60.0),
    more=st.floats(0.0, 200.0),
    less=st.floats(0.0, 9.0),
)
def test_worse_labs_never_improve_albi(
    bilirubin: float, albumin: float, more: float, less: float
) -> None:
    before = albi(bilirubin, albumin)
    after = albi(bilirubin + more, albumin - less)
    assert after.score >= before.score - 1e-12
    assert after.grade >= before.grade
