"""Alpha-fetoprotein threshold, as exclusion criterion E9 of NCT06841172 uses it.

Source: NCT06841172 registry, exclusion 9: "Alpha-fetoprotein (AFP) level ≥10,000 ng/mL
at the time of oligoprogression."

The comparison is inclusive (10,000 ng/mL meets it) and is made in ng/mL; values reported
in IU/mL are converted first with :func:`oligotrial.clinical.units.to_canonical`
(1 IU/mL = 1.21 ng/mL), or by :func:`afp_at_or_above_in` which does both.
"""

from __future__ import annotations

import math

from oligotrial.clinical.units import to_canonical
from oligotrial.errors import InputError

__all__ = ["AFP_EXCLUSION_NG_ML", "afp_at_or_above", "afp_at_or_above_in"]

AFP_EXCLUSION_NG_ML = 10_000.0


def _check(value: float, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"expected a number in ng/mL, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise InputError(field, f"must be a finite number 0 or more ng/mL, got {value!r}")
    return float(value)


def afp_at_or_above(afp_ng_ml: float, threshold: float = AFP_EXCLUSION_NG_ML) -> bool:
    """True when AFP (ng/mL) is at or above ``threshold`` ng/mL."""
    return _check(afp_ng_ml, "afp_ng_ml") >= _check(threshold, "threshold")


def afp_at_or_above_in(
    value: float, unit: str, threshold_ng_ml: float = AFP_EXCLUSION_NG_ML
) -> bool:
    """Same as :func:`afp_at_or_above` for a value in any accepted AFP unit."""
    return afp_at_or_above(to_canonical("afp", value, unit, field="afp"), threshold_ng_ml)
