"""Laboratory units: convert a value with its unit to the canonical unit of its analyte.

Canonical units (one per analyte; every calculator in :mod:`oligotrial.clinical` takes
these): bilirubin µmol/L, albumin g/L, AFP ng/mL, INR unitless, HBV DNA IU/mL, ALT/AST
U/L, platelets and neutrophils 10^9/L.

Conversions go one way only, from the unit given to the canonical unit, with the factors
used clinically:

- bilirubin: 1 mg/dL = 17.1 µmol/L (molar mass 584.7 g/mol, rounded as in Child-Pugh
  tables); 1 mg/L = 1.71 µmol/L.
- albumin: 1 g/dL = 10 g/L.
- AFP: 1 IU/mL = 1.21 ng/mL (WHO 72/225 standard); µg/L equals ng/mL; kU/L and kIU/L
  equal IU/mL.
- HBV DNA: IU/mL, or log10 IU/mL. Copies/mL is refused: the copies-to-IU factor depends
  on the assay (about 5 to 6), and an error is better than a guess.
- ALT/AST: U/L = IU/L; 1 µkat/L = 60 U/L.
- cell counts: 10^9/L = G/L = /nL = 10^3/µL = 10^3/mm³; cells/µL and /mm³ are × 0.001.

Unit spellings are matched case-insensitively after removing spaces and normalising
µ/μ/mc/u, a leading multiplication sign (×, x, *) and exponent forms (10^9, 10⁹, 10**9,
10e9 and 10E9 all mean 10^9). "109/L" is refused as ambiguous. An unknown analyte or unit raises
:class:`~oligotrial.errors.InputError` naming the units that are allowed.

Converted values are rounded to 12 significant digits, so that 3.5 g/dL is exactly
35 g/L and a boundary value stays on its boundary after conversion.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from types import MappingProxyType

from oligotrial.errors import InputError

__all__ = [
    "ANALYTES",
    "CANONICAL_UNITS",
    "allowed_units",
    "from_canonical",
    "normalize_unit",
    "to_canonical",
]

# Canonical unit of each analyte, as printed in messages.
CANONICAL_UNITS: Mapping[str, str] = MappingProxyType(
    {
        "bilirubin": "µmol/L",
        "albumin": "g/L",
        "afp": "ng/mL",
        "inr": "(unitless)",
        "hbv_dna": "IU/mL",
        "alt": "U/L",
        "ast": "U/L",
        "platelets": "10^9/L",
        "neutrophils": "10^9/L",
    }
)
ANALYTES: tuple[str, ...] = tuple(CANONICAL_UNITS)

# Analyte name spellings accepted, normalised (lower case, no spaces/dashes/underscores).
_ANALYTE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "bilirubin": "bilirubin",
        "totalbilirubin": "bilirubin",
        "tbil": "bilirubin",
        "bili": "bilirubin",
        "albumin": "albumin",
        "alb": "albumin",
        "afp": "afp",
        "alphafetoprotein": "afp",
        "αfetoprotein": "afp",
        "inr": "inr",
        "hbvdna": "hbv_dna",
        "alt": "alt",
        "sgpt": "alt",
        "ast": "ast",
        "sgot": "ast",
        "platelets": "platelets",
        "platelet": "platelets",
        "plt": "platelets",
        "neutrophils": "neutrophils",
        "neutrophil": "neutrophils",
        "anc": "neutrophils",
    }
)

_CELL_COUNT = {
    "10^9/l": 1.0,
    "10^9cells/l": 1.0,
    "g/l": 1.0,
    "/nl": 1.0,
    "10^3/ul": 1.0,
    "10^3/mm3": 1.0,
    "k/ul": 1.0,
    "/ul": 1e-3,
    "cells/ul": 1e-3,
    "/mm3": 1e-3,
    "cells/mm3": 1e-3,
}
_ENZYME = {"u/l": 1.0, "iu/l": 1.0, "ukat/l": 60.0}

# Linear factors: value_in_unit * factor = value in canonical unit.
_FACTORS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "bilirubin": {"umol/l": 1.0, "mg/dl": 17.1, "mg/l": 1.71},
        "albumin": {"g/l": 1.0, "g/dl": 10.0},
        "afp": {"ng/ml": 1.0, "ug/l": 1.0, "iu/ml": 1.21, "ku/l": 1.21, "kiu/l": 1.21},
        "inr": {"": 1.0, "ratio": 1.0, "1": 1.0, "inr": 1.0},
        "hbv_dna": {"iu/ml": 1.0},
        "alt": _ENZYME,
        "ast": _ENZYME,
        "platelets": _CELL_COUNT,
        "neutrophils": _CELL_COUNT,
    }
)
# Logarithmic units: canonical = 10 ** value.
_LOG10_UNITS: Mapping[str, frozenset[str]] = MappingProxyType(
    {"hbv_dna": frozenset({"log10iu/ml", "logiu/ml", "log(iu/ml)", "log10(iu/ml)"})}
)
# Units recognised but refused on purpose, with the reason.
_REFUSED: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "hbv_dna": {
            "copies/ml": "copies/mL cannot be converted to IU/mL without the assay's factor; "
            "enter the value in IU/mL as reported by the laboratory",
        }
    }
)

_DISPLAY: Mapping[str, str] = MappingProxyType(
    {
        "umol/l": "µmol/L",
        "mg/dl": "mg/dL",
        "mg/l": "mg/L",
        "g/l": "g/L",
        "g/dl": "g/dL",
        "ng/ml": "ng/mL",
        "ug/l": "µg/L",
        "iu/ml": "IU/mL",
        "ku/l": "kU/L",
        "kiu/l": "kIU/L",
        "": "(no unit)",
        "ratio": "ratio",
        "1": "1",
        "inr": "INR",
        "u/l": "U/L",
        "iu/l": "IU/L",
        "ukat/l": "µkat/L",
        "10^9/l": "10^9/L",
        "/nl": "/nL",
        "10^3/ul": "10^3/µL",
        "10^3/mm3": "10^3/mm³",
        "k/ul": "K/µL",
        "/ul": "/µL",
        "cells/ul": "cells/µL",
        "/mm3": "/mm³",
        "cells/mm3": "cells/mm³",
    }
)

_EXPONENT = re.compile(r"10(?:\^|\*\*|e)(\d+)")


def normalize_unit(unit: str | None) -> str:
    """Return the canonical spelling key of a unit string (lower case, ASCII, no spaces)."""
    if unit is None:
        return ""
    if not isinstance(unit, str):
        raise InputError("unit", f"a unit is text, got {unit!r}")
    return _unit_key(unit)


@functools.lru_cache(maxsize=1024)
def _unit_key(unit: str) -> str:
    """:func:`normalize_unit` of a text, read once per distinct spelling."""
    text = unit.strip().lower()
    for micro in ("µ", "μ", "mc"):
        text = text.replace(micro, "u")
    text = text.replace("10⁹", "10^9").replace("10³", "10^3").replace("³", "3")
    text = re.sub(r"\s+", "", text)
    text = text.replace("per", "/")
    # "x10^9/L", "×10^9/L", "*10^9/L" -> "10^9/L"
    text = re.sub(r"^[x×*]", "", text)
    text = _EXPONENT.sub(lambda m: f"10^{m.group(1)}", text)
    text = text.replace("cumm", "mm3").replace("/cmm", "/mm3")
    if text.endswith("/ltr"):
        text = text[:-3] + "l"
    return text


@functools.lru_cache(maxsize=256)
def _analyte_spelling(analyte: str) -> str:
    return re.sub(r"[\s_\-]+", "", analyte.strip().lower())


def _analyte_key(analyte: str, field: str) -> str:
    key = _analyte_spelling(analyte)
    if key not in _ANALYTE_ALIASES:
        raise InputError(
            field or "analyte",
            f"unknown analyte {analyte!r}; known analytes: {', '.join(ANALYTES)}",
        )
    return _ANALYTE_ALIASES[key]


def allowed_units(analyte: str) -> tuple[str, ...]:
    """Units accepted for an analyte, in their usual printed spelling."""
    key = _analyte_key(analyte, "analyte")
    shown = [_DISPLAY.get(u, u) for u in _FACTORS[key]]
    if key in _LOG10_UNITS:
        shown.append("log10 IU/mL")
    return tuple(shown)


def _check_finite(value: float, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"expected a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise InputError(field, f"must be a finite number, got {value!r}")
    return number


def _round12(value: float) -> float:
    return float(f"{value:.12g}")


def to_canonical(analyte: str, value: float, unit: str | None, *, field: str = "") -> float:
    """Convert ``value`` in ``unit`` to the canonical unit of ``analyte``.

    Raises :class:`InputError` (naming ``field``, or ``"<analyte>.unit"``) for an unknown
    analyte or unit, a non-numeric or non-finite value, or a negative concentration.
    """
    key = _analyte_key(analyte, field)
    value_field = field or key
    number = _check_finite(value, value_field)
    unit_field = f"{value_field}.unit" if field else f"{key}.unit"
    if unit is not None and not isinstance(unit, str):
        raise InputError(unit_field, f"a unit is text, got {unit!r}")
    unit_key = normalize_unit(unit)
    if unit_key in _REFUSED.get(key, {}):
        raise InputError(unit_field, _REFUSED[key][unit_key])
    if unit_key in _LOG10_UNITS.get(key, frozenset()):
        return _round12(10.0**number)
    factors = _FACTORS[key]
    if unit_key not in factors:
        raise InputError(
            unit_field,
            f"unknown unit {unit!r} for {key}; allowed: {', '.join(allowed_units(key))}",
        )
    if number < 0:
        raise InputError(value_field, f"{key} cannot be negative, got {value!r}")
    return _round12(number * factors[unit_key])


def from_canonical(analyte: str, value: float, unit: str | None) -> float:
    """Express a canonical value in ``unit`` (for display and round-trip checks)."""
    key = _analyte_key(analyte, "analyte")
    number = _check_finite(value, key)
    unit_key = normalize_unit(unit)
    if unit_key in _LOG10_UNITS.get(key, frozenset()):
        if number <= 0:
            raise InputError(key, f"cannot take log10 of {value!r}")
        return _round12(math.log10(number))
    if unit_key not in _FACTORS[key]:
        raise InputError(
            f"{key}.unit",
            f"unknown unit {unit!r} for {key}; allowed: {', '.join(allowed_units(key))}",
        )
    return _round12(number / _FACTORS[key][unit_key])
