"""CTCAE v5.0 laboratory grading boundaries (oligotrial.clinical.ctcae)."""

from __future__ import annotations

import pytest

from oligotrial.clinical.ctcae import grade_lab
from oligotrial.errors import InputError

ULN = 40.0


@pytest.mark.parametrize(
    ("multiple", "grade"),
    [(1.0, 0), (1.0025, 1), (3.0, 1), (3.01, 2), (5.0, 2), (5.01, 3), (20.0, 3), (20.01, 4)],
)
@pytest.mark.parametrize("term", ["alt", "AST"])
def test_transaminases_normal_baseline(term: str, multiple: float, grade: int) -> None:
    assert grade_lab(term, round(multiple * ULN, 6), uln=ULN) == grade


def test_ctcae_term_names_are_accepted() -> None:
    assert grade_lab("Alanine aminotransferase increased", 120.4, uln=ULN) == 2
    assert grade_lab("Platelet count decreased", 49) == 3


def test_alt_exact_boundary_with_awkward_uln() -> None:
    # 3 × 33 = 99 exactly; 3.01 × 33 = 99.33
    assert grade_lab("alt", 99, uln=33) == 1
    assert grade_lab("alt", 99.33, uln=33) == 2


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (79, 0),
        (80, 0),
        (119.9, 0),
        (120, 1),
        (160, 1),
        (240, 1),
        (240.1, 2),
        (400, 2),
        (400.1, 3),
        (1600, 3),
        (1600.1, 4),
    ],
)
def test_transaminases_abnormal_baseline_use_baseline_multiples(value: float, grade: int) -> None:
    assert grade_lab("alt", value, uln=ULN, baseline=80) == grade


def test_normal_baseline_uses_uln() -> None:
    assert grade_lab("ast", 120.4, uln=ULN, baseline=ULN) == 2


@pytest.mark.parametrize(
    ("value", "grade"),
    [(20, 0), (20.1, 1), (30, 1), (30.1, 2), (60, 2), (60.1, 3), (200, 3), (200.1, 4)],
)
def test_bilirubin_normal_baseline(value: float, grade: int) -> None:
    assert grade_lab("bilirubin", value, uln=20) == grade


@pytest.mark.parametrize(
    ("value", "grade"), [(30, 0), (30.1, 1), (45, 1), (45.1, 2), (90.1, 3), (300.1, 4)]
)
def test_bilirubin_abnormal_baseline(value: float, grade: int) -> None:
    assert grade_lab("bilirubin", value, uln=20, baseline=30) == grade


@pytest.mark.parametrize(
    ("value", "grade"),
    [(150, 0), (149.9, 1), (75, 1), (74.9, 2), (50, 2), (49.9, 3), (25, 3), (24.9, 4)],
)
def test_platelets(value: float, grade: int) -> None:
    assert grade_lab("platelets", value, lln=150) == grade


@pytest.mark.parametrize(
    ("value", "grade"),
    [(2.0, 0), (1.9, 1), (1.5, 1), (1.49, 2), (1.0, 2), (0.99, 3), (0.5, 3), (0.49, 4)],
)
def test_neutrophils(value: float, grade: int) -> None:
    assert grade_lab("neutrophils", value, lln=2.0) == grade


def test_missing_uln_gives_no_grade() -> None:
    assert grade_lab("alt", 500) is None
    assert grade_lab("bilirubin", 500, baseline=30) is None


def test_missing_lln_grades_only_absolute_thresholds() -> None:
    assert grade_lab("platelets", 100) is None
    assert grade_lab("platelets", 74) == 2
    assert grade_lab("neutrophils", 0.4) == 4
    assert grade_lab("neutrophils", 1.7) is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"value": -1.0}, "value"),
        ({"value": float("nan")}, "value"),
        ({"value": 1.0, "uln": -4.0}, "uln"),
    ],
)
def test_bad_numbers(kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as info:
        grade_lab("alt", **kwargs)
    assert info.value.field == field


def test_unknown_term() -> None:
    with pytest.raises(InputError, match="no CTCAE lab grading for 'creatinine'"):
        grade_lab("creatinine", 1.0, uln=1.0)
