"""CTCAE v5.0 grading of laboratory-based adverse events (NCI, 27 November 2017).

Terms graded (REFERENCE §4):
- ALT / AST increased — baseline normal: G1 > ULN–3.0×ULN, G2 > 3.0–5.0×ULN, G3 > 5.0–20.0×ULN,
  G4 > 20.0×ULN; baseline abnormal: G1 1.5–3.0×baseline, G2 > 3.0–5.0, G3 > 5.0–20.0, G4 > 20.0
  × baseline.
- Blood bilirubin increased — baseline normal: G1 > ULN–1.5×ULN, G2 > 1.5–3.0, G3 > 3.0–10.0,
  G4 > 10.0×ULN; baseline abnormal: G1 > 1.0–1.5×baseline, G2 > 1.5–3.0, G3 > 3.0–10.0, G4 > 10.0.
- Platelet count decreased (10⁹/L): G1 < LLN–75, G2 < 75–50, G3 < 50–25, G4 < 25.
- Neutrophil count decreased (10⁹/L): G1 < LLN–1.5, G2 < 1.5–1.0, G3 < 1.0–0.5, G4 < 0.5.

A baseline is abnormal when above the ULN. Missing ULN (or LLN) gives no grade (None),
except where an absolute threshold decides (platelets < 75, neutrophils < 1.5). Boundaries
are compared exactly on the decimal values given: ALT 3.0 × ULN is grade 1, 3.01 × ULN grade 2.
"""

from __future__ import annotations

from fractions import Fraction

from oligotrial.errors import InputError

# Upper bounds (inclusive) of grades 1..3 as multiples; above the last is grade 4.
_INCREASE_NORMAL: dict[str, tuple[Fraction, Fraction, Fraction]] = {
    "alt": (Fraction(3), Fraction(5), Fraction(20)),
    "ast": (Fraction(3), Fraction(5), Fraction(20)),
    "bilirubin": (Fraction(3, 2), Fraction(3), Fraction(10)),
}
# Abnormal baseline: grade 1 starts at this multiple of baseline (ALT/AST 1.5; bilirubin > 1.0).
_ABNORMAL_G1_START: dict[str, tuple[Fraction, bool]] = {
    "alt": (Fraction(3, 2), True),  # 1.5 × baseline inclusive
    "ast": (Fraction(3, 2), True),
    "bilirubin": (Fraction(1), False),  # > 1.0 × baseline
}
# Decrease terms: (G2 upper, G3 upper, G4 upper) — a value below each bound reaches that grade.
_DECREASE: dict[str, tuple[Fraction, Fraction, Fraction]] = {
    "platelets": (Fraction(75), Fraction(50), Fraction(25)),
    "neutrophils": (Fraction(3, 2), Fraction(1), Fraction(1, 2)),
}
_ALIASES = {
    "alt": "alt",
    "alanine aminotransferase increased": "alt",
    "ast": "ast",
    "aspartate aminotransferase increased": "ast",
    "bilirubin": "bilirubin",
    "blood bilirubin increased": "bilirubin",
    "platelets": "platelets",
    "platelet count decreased": "platelets",
    "neutrophils": "neutrophils",
    "neutrophil count decreased": "neutrophils",
}
TERMS: tuple[str, ...] = ("alt", "ast", "bilirubin", "platelets", "neutrophils")


def _exact(name: str, value: float | None) -> Fraction | None:
    if value is None:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(name, f"must be a finite number, got {value!r}")
    if value < 0:
        raise InputError(name, f"must be ≥ 0, got {value!r}")
    return Fraction(repr(float(value)))


def canonical_term(term: str) -> str:
    """The grading key of a lab term; InputError on a term that cannot be graded."""
    key = _ALIASES.get(term.strip().lower())
    if key is None:
        raise InputError("term", f"no CTCAE lab grading for {term!r} (graded: {', '.join(TERMS)})")
    return key


def grade_lab(
    term: str,
    value: float,
    *,
    uln: float | None = None,
    lln: float | None = None,
    baseline: float | None = None,
) -> int | None:
    """CTCAE v5.0 grade (0 = within normal limits) of one lab value, or None if ungradable."""
    key = canonical_term(term)
    x = _exact("value", value)
    assert x is not None
    upper, lower, base = _exact("uln", uln), _exact("lln", lln), _exact("baseline", baseline)
    if key in _DECREASE:
        return _grade_decrease(x, lower, _DECREASE[key])
    if upper is None or upper == 0:
        return None
    if base is not None and base > upper:
        return _grade_increase_abnormal(x, base, key)
    return _grade_increase(x, upper, _INCREASE_NORMAL[key])


def _grade_increase(x: Fraction, uln: Fraction, bounds: tuple[Fraction, Fraction, Fraction]) -> int:
    if x <= uln:
        return 0
    for grade, multiple in enumerate(bounds, start=1):
        if x <= multiple * uln:
            return grade
    return 4


def _grade_increase_abnormal(x: Fraction, baseline: Fraction, key: str) -> int:
    start, inclusive = _ABNORMAL_G1_START[key]
    reached = x >= start * baseline if inclusive else x > start * baseline
    if not reached:
        return 0
    return _grade_increase(x, baseline, _INCREASE_NORMAL[key]) or 1


def _grade_decrease(
    x: Fraction, lln: Fraction | None, bounds: tuple[Fraction, Fraction, Fraction]
) -> int | None:
    g2, g3, g4 = bounds
    if x < g4:
        return 4
    if x < g3:
        return 3
    if x < g2:
        return 2
    if lln is None:
        return None
    return 1 if x < lln else 0
