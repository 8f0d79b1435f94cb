"""Child-Pugh score and class of liver function.

Source: Child CG, Turcotte JG. Surgery and portal hypertension. In: The liver and portal
hypertension. Saunders, 1964; modified by Pugh RNH et al. Transection of the oesophagus for
bleeding oesophageal varices. Br J Surg 1973;60:646-649 (INR replacing prothrombin time,
as in current practice).

Points (1 / 2 / 3), canonical units:

=============== ============ ============== ==================
bilirubin       < 34         34-51          > 51 µmol/L
albumin         > 35         28-35          < 28 g/L
INR             < 1.7        1.7-2.3        > 2.3
ascites         none         mild           moderate-severe
encephalopathy  none         grade 1-2      grade 3-4
=============== ============ ============== ==================

A value exactly on a boundary (34, 51, 35, 28, 1.7, 2.3) falls in the middle band. The
albumin lower cut-off is 28 g/L by default; some texts use 30 g/L (``albumin_lower_g_l``).
Class A = 5-6 points, B = 7-9, C = 10-15.

Units are converted one way only, to µmol/L and g/L, by
:func:`oligotrial.clinical.units.to_canonical` (bilirubin mg/dL × 17.1). The µmol/L
cut-offs 34 and 51 are the usual rounded equivalents of 2 and 3 mg/dL (34.2 and 51.3), so
with the defaults 3.0 mg/dL (= 51.3 µmol/L) scores 3 points although the mg/dL table puts
it in the middle band. A protocol that wants the mg/dL reading passes
``bilirubin_cutoffs_umol_l=(34.2, 51.3)``.

:func:`child_pugh` scores one patient; :func:`child_pugh_points_array` and
:func:`child_pugh_score_array` score many at once with numpy and agree with the scalar
form (property-tested).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from oligotrial.errors import InputError

if TYPE_CHECKING:  # numpy is imported by the array forms only: one patient needs none of it
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]

__all__ = [
    "ASCITES_CODES",
    "COMPONENTS",
    "ENCEPHALOPATHY_CODES",
    "MISSING_SCORE",
    "ChildPugh",
    "albumin_points",
    "bilirubin_points",
    "child_pugh",
    "child_pugh_grade",
    "child_pugh_points_array",
    "child_pugh_score_array",
    "inr_points",
    "parse_ascites",
    "parse_encephalopathy",
]

Grade = Literal["A", "B", "C"]
Ascites = Literal["none", "mild", "moderate-severe"]
Encephalopathy = Literal["none", "grade-1-2", "grade-3-4"]

COMPONENTS: tuple[str, ...] = ("bilirubin", "albumin", "inr", "ascites", "encephalopathy")
ASCITES_CODES: Mapping[str, int] = MappingProxyType({"none": 1, "mild": 2, "moderate-severe": 3})
ENCEPHALOPATHY_CODES: Mapping[str, int] = MappingProxyType(
    {"none": 1, "grade-1-2": 2, "grade-3-4": 3}
)
MISSING_SCORE = -1
"""Score returned by the array form for a row with a missing input (``allow_missing``)."""

BILIRUBIN_CUTOFFS_UMOL_L = (34.0, 51.0)
ALBUMIN_UPPER_G_L = 35.0
ALBUMIN_LOWER_G_L = 28.0
INR_LOW = 1.7
INR_HIGH = 2.3

_ASCITES_ALIASES: Mapping[str, Ascites] = MappingProxyType(
    {
        "none": "none",
        "absent": "none",
        "no": "none",
        "mild": "mild",
        "slight": "mild",
        "moderate-severe": "moderate-severe",
        "moderate-to-severe": "moderate-severe",
        "moderate": "moderate-severe",
        "severe": "moderate-severe",
        "tense": "moderate-severe",
    }
)
_ENCEPHALOPATHY_ALIASES: Mapping[str, Encephalopathy] = MappingProxyType(
    {
        "none": "none",
        "absent": "none",
        "no": "none",
        "grade-0": "none",
        "grade-1-2": "grade-1-2",
        "grade-1": "grade-1-2",
        "grade-2": "grade-1-2",
        "mild": "grade-1-2",
        "grade-3-4": "grade-3-4",
        "grade-3": "grade-3-4",
        "grade-4": "grade-3-4",
        "severe": "grade-3-4",
    }
)


@dataclass(frozen=True)
class ChildPugh:
    """A Child-Pugh result: total score (5-15), class, label (``"B7"``) and points by item."""

    score: int
    grade: Grade
    label: str
    points: Mapping[str, int]


@functools.lru_cache(maxsize=256)
def _key(text: str) -> str:
    text = text.strip().lower().replace("–", "-").replace("_", " ").replace("/", "-")
    return "-".join(text.split())


def parse_ascites(value: str, *, field: str = "ascites") -> Ascites:
    """Normalise an ascites grading (``"none"``, ``"mild"``, ``"moderate-severe"``)."""
    if not isinstance(value, str) or _key(value) not in _ASCITES_ALIASES:
        raise InputError(
            field, f"unknown ascites grading {value!r}; allowed: none, mild, moderate-severe"
        )
    return _ASCITES_ALIASES[_key(value)]


def parse_encephalopathy(value: str, *, field: str = "encephalopathy") -> Encephalopathy:
    """Normalise a hepatic encephalopathy grading (``"none"``, ``"grade-1-2"``, ``"grade-3-4"``)."""
    key = _key(value).replace("grade-i-ii", "grade-1-2") if isinstance(value, str) else ""
    key = key.replace("grade-iii-iv", "grade-3-4")
    if key.startswith("grade") and not key.startswith("grade-"):
        key = "grade-" + key[5:]
    if key not in _ENCEPHALOPATHY_ALIASES:
        raise InputError(
            field, f"unknown encephalopathy grading {value!r}; allowed: none, grade-1-2, grade-3-4"
        )
    return _ENCEPHALOPATHY_ALIASES[key]


def _finite(value: float, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"expected a number, got {value!r}")
    if not math.isfinite(value):
        raise InputError(field, f"must be a finite number, got {value!r}")
    return float(value)


def _check_cutoffs(cutoffs: tuple[float, float]) -> tuple[float, float]:
    low, high = cutoffs
    if not 0 < low <= high:
        raise InputError(
            "bilirubin_cutoffs_umol_l", f"cut-offs must satisfy 0 < low <= high, got {cutoffs!r}"
        )
    return low, high


def bilirubin_points(
    bilirubin_umol_l: float,
    *,
    cutoffs_umol_l: tuple[float, float] = BILIRUBIN_CUTOFFS_UMOL_L,
    field: str = "bilirubin_umol_l",
) -> int:
    """Points for total bilirubin in µmol/L (< 34 → 1, 34-51 → 2, > 51 → 3)."""
    value = _finite(bilirubin_umol_l, field)
    if value < 0:
        raise InputError(field, f"bilirubin cannot be negative, got {bilirubin_umol_l!r}")
    low, high = _check_cutoffs(cutoffs_umol_l)
    if value < low:
        return 1
    return 2 if value <= high else 3


def albumin_points(
    albumin_g_l: float,
    *,
    lower_g_l: float = ALBUMIN_LOWER_G_L,
    upper_g_l: float = ALBUMIN_UPPER_G_L,
    field: str = "albumin_g_l",
) -> int:
    """Points for serum albumin in g/L (> 35 → 1, 28-35 → 2, < 28 → 3)."""
    value = _finite(albumin_g_l, field)
    if value <= 0:
        raise InputError(field, f"albumin must be positive, got {albumin_g_l!r}")
    if not 0 < lower_g_l <= upper_g_l:
        raise InputError(
            "albumin_lower_g_l", f"cut-offs must satisfy 0 < {lower_g_l} <= {upper_g_l}"
        )
    if value > upper_g_l:
        return 1
    return 2 if value >= lower_g_l else 3


def inr_points(inr: float, *, field: str = "inr") -> int:
    """Points for INR (< 1.7 → 1, 1.7-2.3 → 2, > 2.3 → 3)."""
    value = _finite(inr, field)
    if value <= 0:
        raise InputError(field, f"INR must be greater than 0, got {inr!r}")
    if value < INR_LOW:
        return 1
    return 2 if value <= INR_HIGH else 3


def child_pugh_grade(score: int) -> Grade:
    """Class of a total score: A 5-6, B 7-9, C 10-15."""
    if isinstance(score, bool) or not isinstance(score, int) or not 5 <= score <= 15:
        raise InputError("score", f"a Child-Pugh score is an integer 5-15, got {score!r}")
    if score <= 6:
        return "A"
    return "B" if score <= 9 else "C"


def child_pugh(
    *,
    bilirubin_umol_l: float,
    albumin_g_l: float,
    inr: float,
    ascites: str,
    encephalopathy: str,
    albumin_lower_g_l: float = ALBUMIN_LOWER_G_L,
    bilirubin_cutoffs_umol_l: tuple[float, float] = BILIRUBIN_CUTOFFS_UMOL_L,
) -> ChildPugh:
    """Child-Pugh score and class from canonical-unit labs and clinical gradings."""
    points = {
        "bilirubin": bilirubin_points(bilirubin_umol_l, cutoffs_umol_l=bilirubin_cutoffs_umol_l),
        "albumin": albumin_points(albumin_g_l, lower_g_l=albumin_lower_g_l),
        "inr": inr_points(inr),
        "ascites": ASCITES_CODES[parse_ascites(ascites)],
        "encephalopathy": ENCEPHALOPATHY_CODES[parse_encephalopathy(encephalopathy)],
    }
    score = sum(points.values())
    grade = child_pugh_grade(score)
    return ChildPugh(score, grade, f"{grade}{score}", MappingProxyType(points))


def _as_float(values: npt.ArrayLike, field: str) -> FloatArray:
    import numpy as np

    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(field, f"expected numbers: {exc}") from None
    if np.isinf(array).any():
        raise InputError(field, "must be finite (found an infinite value)")
    return array


def _band_points(values: FloatArray, low: float, high: float, *, ascending: bool) -> IntArray:
    """1/2/3 points with boundaries in the middle band; ascending = higher is worse."""
    import numpy as np

    if ascending:
        points = np.where(values < low, 1, np.where(values <= high, 2, 3))
    else:  # albumin: higher is better; high = upper cut-off, low = lower cut-off
        points = np.where(values > high, 1, np.where(values >= low, 2, 3))
    return points.astype(np.int64)


def child_pugh_points_array(
    bilirubin_umol_l: npt.ArrayLike,
    albumin_g_l: npt.ArrayLike,
    inr: npt.ArrayLike,
    ascites_code: npt.ArrayLike,
    encephalopathy_code: npt.ArrayLike,
    *,
    albumin_lower_g_l: float = ALBUMIN_LOWER_G_L,
    bilirubin_cutoffs_umol_l: tuple[float, float] = BILIRUBIN_CUTOFFS_UMOL_L,
    allow_missing: bool = False,
) -> IntArray:
    """Points per item for many patients: an int array of shape ``(n, 5)``.

    Columns follow :data:`COMPONENTS`. Ascites and encephalopathy are given as codes 1/2/3
    (:data:`ASCITES_CODES`, :data:`ENCEPHALOPATHY_CODES`). Inputs broadcast against each
    other. A NaN input raises :class:`InputError` unless ``allow_missing``, in which case
    every item of that row is 0 (and its score :data:`MISSING_SCORE`).
    """
    import numpy as np

    if not 0 < albumin_lower_g_l <= ALBUMIN_UPPER_G_L:
        raise InputError("albumin_lower_g_l", f"must be in (0, 35], got {albumin_lower_g_l!r}")
    bili_low, bili_high = _check_cutoffs(bilirubin_cutoffs_umol_l)
    arrays = np.broadcast_arrays(
        _as_float(bilirubin_umol_l, "bilirubin_umol_l"),
        _as_float(albumin_g_l, "albumin_g_l"),
        _as_float(inr, "inr"),
        _as_float(ascites_code, "ascites_code"),
        _as_float(encephalopathy_code, "encephalopathy_code"),
    )
    bili, alb, inr_v, asc, enc = (np.atleast_1d(a).ravel() for a in arrays)
    missing = np.isnan(bili) | np.isnan(alb) | np.isnan(inr_v) | np.isnan(asc) | np.isnan(enc)
    if missing.any() and not allow_missing:
        name = COMPONENTS[int(np.argmax([np.isnan(a).any() for a in (bili, alb, inr_v, asc, enc)]))]
        raise InputError(name, f"missing value at row {int(np.argmax(missing))}")
    present = ~missing
    checks = (
        ("bilirubin_umol_l", bili < 0, "bilirubin cannot be negative"),
        ("albumin_g_l", alb <= 0, "albumin must be positive"),
        ("inr", inr_v <= 0, "INR must be greater than 0"),
        ("ascites_code", ~np.isin(asc, (1, 2, 3)), "ascites code must be 1, 2 or 3"),
        ("encephalopathy_code", ~np.isin(enc, (1, 2, 3)), "encephalopathy code must be 1, 2 or 3"),
    )
    for field, bad, problem in checks:
        bad_present = bad & present
        if bad_present.any():
            raise InputError(field, f"{problem} (row {int(np.argmax(bad_present))})")
    points = np.stack(
        [
            _band_points(bili, bili_low, bili_high, ascending=True),
            _band_points(alb, albumin_lower_g_l, ALBUMIN_UPPER_G_L, ascending=False),
            _band_points(inr_v, INR_LOW, INR_HIGH, ascending=True),
            np.where(present, asc, 0).astype(np.int64),
            np.where(present, enc, 0).astype(np.int64),
        ],
        axis=1,
    )
    points[missing] = 0
    return points


def child_pugh_score_array(
    bilirubin_umol_l: npt.ArrayLike,
    albumin_g_l: npt.ArrayLike,
    inr: npt.ArrayLike,
    ascites_code: npt.ArrayLike,
    encephalopathy_code: npt.ArrayLike,
    *,
    albumin_lower_g_l: float = ALBUMIN_LOWER_G_L,
    bilirubin_cutoffs_umol_l: tuple[float, float] = BILIRUBIN_CUTOFFS_UMOL_L,
    allow_missing: bool = False,
) -> IntArray:
    """Total Child-Pugh score for many patients (``MISSING_SCORE`` for a missing row)."""
    import numpy as np

    points = child_pugh_points_array(
        bilirubin_umol_l,
        albumin_g_l,
        inr,
        ascites_code,
        encephalopathy_code,
        albumin_lower_g_l=albumin_lower_g_l,
        bilirubin_cutoffs_umol_l=bilirubin_cutoffs_umol_l,
        allow_missing=allow_missing,
    )
    scores: IntArray = np.asarray(points.sum(axis=1), dtype=np.int64)
    scores[(points == 0).any(axis=1)] = MISSING_SCORE
    return scores
