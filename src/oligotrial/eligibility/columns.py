"""Turn lean rows into numpy columns and finish the checks that are cheaper column-wise:
ISO dates (parsed and printed back identically), dates after ``as_of``, dates out of
order or before birth, and lab units the clinical unit table does not know.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from oligotrial.clinical.units import to_canonical
from oligotrial.eligibility.lean_extract import SCALARS, LeanRows
from oligotrial.errors import InputError

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]

NO_DAY = np.iinfo(np.int64).min  # a missing date, as days since 1970-01-01
_DATES = (
    "screening_date", "birth_date", "consent_date", "procedure_date", "diagnosis_date",
    "flst_start", "disease_control", "oligo_date", "investigational_date",
)  # fmt: skip
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


def parse_days(texts: Sequence[str | None]) -> tuple[Ints, Bools]:
    """ISO dates to days since 1970 (``NO_DAY`` when None) and a mask of malformed ones."""
    cleaned = ["NaT" if t is None else t for t in texts]
    try:
        parsed = np.array(cleaned, dtype="datetime64[D]")
    except ValueError:
        parsed = np.array([_one_day(t) for t in cleaned], dtype="datetime64[D]")
    given = np.array([t is not None for t in texts], dtype=bool)
    printed = np.datetime_as_string(parsed)
    bad = given & ((printed != np.array(cleaned, dtype=object)) | np.isnat(parsed))
    days = parsed.astype(np.int64)
    days[~given | bad] = NO_DAY
    return days, bad


def _one_day(text: str) -> np.datetime64:
    try:
        return np.datetime64(text, "D")
    except ValueError:
        return np.datetime64("NaT", "D")


@dataclass
class Columns:
    """Scalar columns of a batch of ``n`` records (rows of odd records are meaningless)."""

    n: int
    raw: dict[str, Objects]
    days: dict[str, Ints]
    labs: dict[str, tuple[Floats, Floats]]  # analyte -> (canonical value, canonical ULN)
    odd: Bools
    rows: LeanRows


def _scalar_columns(rows: LeanRows, n: int) -> dict[str, Objects]:
    owners = np.asarray(rows.owners, dtype=np.int64)
    out: dict[str, Objects] = {}
    transposed = list(zip(*rows.scalars, strict=True)) if rows.scalars else [()] * len(SCALARS)
    for name, values in zip(SCALARS, transposed, strict=True):
        column = np.full(n, None, dtype=object)
        if len(owners):
            column[owners] = values
        out[name] = column
    return out


_FACTORS: dict[tuple[str, str], tuple[float, bool] | None] = {}


def _unit_rule(analyte: str, unit: str) -> tuple[float, bool] | None:
    """(factor, is_log10) for a unit, or None when the unit table refuses it."""
    key = (analyte, unit)
    if key not in _FACTORS:
        try:
            one = to_canonical(analyte, 1.0, unit)
            ten = to_canonical(analyte, 10.0, unit)
        except InputError:
            _FACTORS[key] = None
        else:
            log = ten / one > 10.5  # 10**10 / 10**1 for log units, 10 for linear ones
            _FACTORS[key] = (one, log)
    return _FACTORS[key]


def canonical_values(analyte: str, values: Floats, unit: str) -> Floats:
    """Convert like :func:`to_canonical`, element for element (12 significant digits)."""
    rule = _unit_rule(analyte, unit)
    assert rule is not None
    factor, log = rule
    if not log and factor == 1.0:
        exact = (np.abs(values) < 1e6) & (np.round(values, 6) == values)
        if exact.all():
            return values
        out = values.copy()
        out[~exact] = [to_canonical(analyte, float(v), unit) for v in values[~exact]]
        return out
    return np.array([to_canonical(analyte, float(v), unit) for v in values], dtype=np.float64)


def _lab_columns(
    rows: LeanRows, uln: Objects, n: int, odd: Bools
) -> dict[str, tuple[Floats, Floats]]:
    out: dict[str, tuple[Floats, Floats]] = {}
    by_analyte: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for owner, name, value, unit in rows.labs:
        if name in ("bilirubin", "albumin", "inr", "afp", "hbv_dna") or _unit_rule(
            name, unit
        ) is None:
            by_analyte.setdefault((name, unit), []).append((owner, value))
    for name in ("bilirubin", "albumin", "inr", "afp", "hbv_dna"):
        out[name] = (np.full(n, np.nan), np.full(n, np.nan))
    for (name, unit), items in by_analyte.items():
        owners = np.array([o for o, _ in items], dtype=np.int64)
        if _unit_rule(name, unit) is None:
            odd[owners] = True
            continue
        values = canonical_values(name, np.array([v for _, v in items], dtype=np.float64), unit)
        out[name][0][owners] = values
        if name in ("inr", "albumin"):
            odd[owners[values <= 0]] = True
        if name == "hbv_dna":
            limits = np.array([uln[o] for o in owners], dtype=object)
            has = np.array([v is not None for v in limits], dtype=bool)
            if has.any():
                out[name][1][owners[has]] = canonical_values(
                    name, limits[has].astype(np.float64), unit
                )
    return out


def build_columns(rows: LeanRows, n: int, as_of: dt.date) -> Columns:
    """Numpy columns of the lean rows; records failing a column-wise check become odd."""
    odd = np.zeros(n, dtype=bool)
    odd[np.asarray(rows.odd, dtype=np.int64)] = True
    raw = _scalar_columns(rows, n)
    valid = np.zeros(n, dtype=bool)
    valid[np.asarray(rows.owners, dtype=np.int64)] = True
    odd |= ~valid
    limit = int(np.datetime64(as_of, "D").astype(np.int64))
    days: dict[str, Ints] = {}
    for name in _DATES:
        values, bad = parse_days(list(raw[name]))
        odd |= bad | ((values != NO_DAY) & (values > limit))
        days[name] = values
    odd |= days["screening_date"] == NO_DAY
    for earlier, later in _ORDER:
        a, b = days[earlier], days[later]
        odd |= (a != NO_DAY) & (b != NO_DAY) & (b < a)
    birth = days["birth_date"]
    for name in _DATES:
        d = days[name]
        odd |= (birth != NO_DAY) & (d != NO_DAY) & (d < birth)
    if rows.other_dates:
        owners = np.array([o for o, _ in rows.other_dates], dtype=np.int64)
        values, bad = parse_days([t for _, t in rows.other_dates])
        late = bad | (values > limit) | ((birth[owners] != NO_DAY) & (values < birth[owners]))
        odd[owners[late]] = True
    labs = _lab_columns(rows, raw["hbv_dna_uln"], n, odd)
    return Columns(n, raw, days, labs, odd, rows)
