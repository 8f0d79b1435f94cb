"""ALBI (albumin-bilirubin) score and grade of liver function.

Source: Johnson PJ, Berhane S, Kagebayashi C, et al. Assessment of liver function in
patients with hepatocellular carcinoma: a new evidence-based approach - the ALBI grade.
J Clin Oncol 2015;33:550-558.

    ALBI = 0.66 · log10(bilirubin, µmol/L) − 0.085 · albumin (g/L)

Grade 1: score ≤ −2.60; grade 2: −2.60 < score ≤ −1.39; grade 3: score > −1.39. The
grade is taken from the unrounded score; the score is reported unrounded too (round it
for display only). Worked check: bilirubin 1.2 mg/dL (20.52 µmol/L) and albumin
3.5 g/dL (35 g/L) give −2.109, grade 2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from oligotrial.errors import InputError

__all__ = ["GRADE_1_MAX", "GRADE_2_MAX", "Albi", "albi", "albi_grade"]

AlbiGrade = Literal[1, 2, 3]
GRADE_1_MAX = -2.60
GRADE_2_MAX = -1.39
BILIRUBIN_COEFFICIENT = 0.66
ALBUMIN_COEFFICIENT = -0.085


@dataclass(frozen=True)
class Albi:
    """ALBI linear predictor (unrounded) and grade 1-3."""

    score: float
    grade: AlbiGrade


def albi_grade(score: float) -> AlbiGrade:
    """Grade of an ALBI score (boundaries belong to the better grade)."""
    if not math.isfinite(score):
        raise InputError("score", f"must be a finite number, got {score!r}")
    if score <= GRADE_1_MAX:
        return 1
    return 2 if score <= GRADE_2_MAX else 3


def albi(bilirubin_umol_l: float, albumin_g_l: float) -> Albi:
    """ALBI score and grade from bilirubin (µmol/L, > 0) and albumin (g/L, > 0)."""
    for field, value in (("bilirubin_umol_l", bilirubin_umol_l), ("albumin_g_l", albumin_g_l)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(field, f"expected a number, got {value!r}")
        if not math.isfinite(value) or value <= 0:
            raise InputError(field, f"must be a finite number greater than 0, got {value!r}")
    score = BILIRUBIN_COEFFICIENT * math.log10(bilirubin_umol_l) + ALBUMIN_COEFFICIENT * float(
        albumin_g_l
    )
    return Albi(score, albi_grade(score))
