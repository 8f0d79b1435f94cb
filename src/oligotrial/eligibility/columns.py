"""Typed numpy columns of a batch of records, and the date checks made on whole columns:
ISO dates (digits, month and day ranges, parsed without Python loops), dates after
``as_of``, dates out of order or before birth.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

from oligotrial.clinical.units import to_canonical
from oligotrial.eligibility.struct_lesions import LesionTable

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int8]
Objects = npt.NDArray[np.object_]

FACT_LABS = ("bilirubin", "albumin", "inr", "afp", "hbv_dna")
NO_DAY = np.iinfo(np.int64).min  # a missing date, as days since 1970-01-01
# (earlier, later) pairs whose order the record model enforces.
_ORDER = (
    ("diagnosis_date", "flst_start"),
    ("flst_start", "disease_control"),
    ("disease_control", "oligo_date"),
    ("flst_start", "oligo_date"),
    ("diagnosis_date", "oligo_date"),
    ("oligo_date", "screening_date"),
    ("diagnosis_date", "screening_date"),
    ("birth_date", "diagnosis_date"),
)
_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9])


def month_length(y: Ints, m: Ints) -> Ints:
    lengths = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    return np.where((m == 2) & leap, 29, lengths[np.clip(m, 1, 12) - 1])


def days_from_civil(y: Ints, m: Ints, d: Ints) -> Ints:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    return np.asarray(days, dtype=np.int64)


def parse_days(texts: list[str]) -> tuple[Ints, Bools]:
    """ISO dates (``""`` = unknown) to days since 1970 (``NO_DAY``) and a mask of bad ones."""
    try:
        raw = np.array(texts, dtype="S10")
    except UnicodeEncodeError:
        raw = np.array([t if t.isascii() else "?" for t in texts], dtype="S10")
    given = raw != b""
    b = raw.view(np.uint8).reshape(len(texts), 10)
    digits = b[:, _DIGITS].astype(np.int64) - 48
    shape_ok = ((digits >= 0) & (digits <= 9)).all(axis=1) & (b[:, 4] == 45) & (b[:, 7] == 45)
    y = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    m = digits[:, 4] * 10 + digits[:, 5]
    d = digits[:, 6] * 10 + digits[:, 7]
    ok = shape_ok & (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= month_length(y, m))
    days = np.where(given & ok, days_from_civil(y, m, np.maximum(d, 1)), NO_DAY)
    return days.astype(np.int64), given & ~ok


@dataclass(frozen=True)
class Malignancies:
    """One row per other malignancy: its record, diagnosis day, category, cure code."""

    owner: Ints
    days: Ints
    category: Objects
    cured: Codes


@dataclass
class Columns:
    """Typed columns of a batch of ``n`` records (rows of odd records meaningless)."""

    n: int
    text: dict[str, Objects]
    days: dict[str, Ints]
    codes: dict[str, Codes]
    numbers: dict[str, Floats]
    labs: dict[str, tuple[Floats, Floats]]  # analyte -> (canonical value, canonical ULN)
    odd: Bools
    lesions: LesionTable
    malignancies: Malignancies


@functools.lru_cache(maxsize=1 << 16)
def _converted(analyte: str, unit: str, value: float) -> float:
    return to_canonical(analyte, value, unit)


@functools.cache
def _identity(analyte: str, unit: str) -> bool:
    return to_canonical(analyte, 1.0, unit) == 1.0 and to_canonical(analyte, 10.0, unit) == 10.0


def canonical_values(analyte: str, values: Floats, unit: Ints, words: Sequence[str]) -> Floats:
    """Convert like :func:`to_canonical`, element for element (12 significant digits);
    ``unit[i]`` is the position of value i's unit in ``words``."""
    out = values.copy()
    known = ~np.isnan(values)
    for code in np.flatnonzero(np.bincount(unit[known], minlength=len(words))).tolist():
        mask = known & (unit == code)
        v = values[mask]
        if _identity(analyte, words[code]):
            exact = (np.abs(v) < 1e6) & (np.round(v, 6) == v)
        else:
            exact = np.zeros(len(v), dtype=bool)
        if not exact.all():
            v[~exact] = [_converted(analyte, words[code], x) for x in v[~exact].tolist()]
        out[mask] = v
    return out


def check_dates(
    texts: dict[str, list[str]],
    others: list[tuple[Ints, list[str]]],
    as_of: dt.date,
    odd: Bools,
) -> dict[str, Ints]:
    """Day columns of the named dates (``""`` unknown), all parsed in one go, checked by
    :func:`check_days`; a record with a text that is not a calendar date is marked odd.
    ``others`` holds (owner, dates) of the dates inside lists (labs, events...)."""
    n = len(odd)
    named = len(texts) * n
    everything = [*chain.from_iterable(texts.values()), *chain.from_iterable(t for _, t in others)]
    parsed, bad = parse_days(everything)
    odd |= bad[:named].reshape(len(texts), n).any(axis=0)
    if others:
        odd[np.concatenate([o for o, _ in others])[bad[named:]]] = True
    days = dict(zip(texts, parsed[:named].reshape(len(texts), n), strict=True))
    other_days: list[tuple[Ints, Ints]] = []
    at = named
    for owner, _ in others:
        other_days.append((owner, parsed[at : at + len(owner)]))
        at += len(owner)
    check_days(days, other_days, as_of, odd)
    return days


def check_days(
    days: dict[str, Ints], others: list[tuple[Ints, Ints]], as_of: dt.date, odd: Bools
) -> None:
    """Mark records with a date after ``as_of``, before birth or out of order, or without a
    screening date (days since 1970, ``NO_DAY`` unknown; ``others``: (owner, days))."""
    limit = (np.datetime64(as_of, "D") - np.datetime64("1970-01-01", "D")).astype(np.int64)
    matrix = np.stack(list(days.values()))
    birth = days["birth_date"]
    odd |= (matrix > limit).any(axis=0)
    odd |= days["screening_date"] == NO_DAY
    odd |= ((matrix != NO_DAY) & (birth != NO_DAY) & (matrix < birth)).any(axis=0)
    for earlier, later in _ORDER:
        a, b = days[earlier], days[later]
        odd |= (a != NO_DAY) & (b != NO_DAY) & (b < a)
    if others:
        owner = np.concatenate([o for o, _ in others])
        other = np.concatenate([d for _, d in others])
        before_birth = (other != NO_DAY) & (birth[owner] != NO_DAY) & (other < birth[owner])
        odd[owner[(other > limit) | before_birth]] = True
