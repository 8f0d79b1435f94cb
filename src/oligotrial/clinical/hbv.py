"""Active untreated hepatitis B, as exclusion criterion E7 of NCT06841172 defines it.

Source: NCT06841172 registry, exclusion 7: "Active untreated hepatitis B, defined as HBsAg
positive with HBV DNA levels above the upper limit of normal in the participating
center's laboratory."

Active untreated = HBsAg positive **and** HBV DNA strictly above the site laboratory's
upper limit (IU/mL) **and** not on antiviral treatment. A DNA value equal to the limit is
not above it; an undetectable load is entered as 0. HBV DNA is needed only when HBsAg is
positive and no antiviral is given; otherwise it does not change the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from oligotrial.errors import InputError

__all__ = ["HbvStatus", "hbv_active_untreated", "hbv_status"]


@dataclass(frozen=True)
class HbvStatus:
    """Whether hepatitis B is active and untreated, and why."""

    active_untreated: bool
    reason: str


def _amount(value: float, field: str, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"expected a number in IU/mL, got {value!r}")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        need = "greater than 0" if positive else "0 or more"
        raise InputError(field, f"must be a finite number {need} IU/mL, got {value!r}")
    return float(value)


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(field, f"expected true or false, got {value!r}")
    return value


def hbv_status(
    *,
    hbsag_positive: bool,
    on_antiviral: bool,
    hbv_dna_iu_ml: float | None,
    dna_upper_limit_iu_ml: float | None,
) -> HbvStatus:
    """Decide E7 with its reason; DNA and its limit are required only when they decide."""
    if not _flag(hbsag_positive, "hbsag_positive"):
        return HbvStatus(False, "HBsAg negative")
    if _flag(on_antiviral, "on_antiviral"):
        return HbvStatus(False, "HBsAg positive, on antiviral treatment")
    if hbv_dna_iu_ml is None:
        raise InputError("hbv_dna_iu_ml", "needed: HBsAg positive and no antiviral treatment")
    if dna_upper_limit_iu_ml is None:
        raise InputError(
            "dna_upper_limit_iu_ml", "the site laboratory's upper limit for HBV DNA is needed"
        )
    dna = _amount(hbv_dna_iu_ml, "hbv_dna_iu_ml", positive=False)
    limit = _amount(dna_upper_limit_iu_ml, "dna_upper_limit_iu_ml", positive=True)
    if dna > limit:
        return HbvStatus(
            True,
            f"HBsAg positive, HBV DNA {dna:g} IU/mL above the site limit {limit:g} IU/mL, "
            "no antiviral treatment",
        )
    return HbvStatus(
        False, f"HBsAg positive, HBV DNA {dna:g} IU/mL not above the site limit {limit:g} IU/mL"
    )


def hbv_active_untreated(
    *,
    hbsag_positive: bool,
    on_antiviral: bool,
    hbv_dna_iu_ml: float | None,
    dna_upper_limit_iu_ml: float | None,
) -> bool:
    """True when hepatitis B is active and untreated (E7 applies)."""
    return hbv_status(
        hbsag_positive=hbsag_positive,
        on_antiviral=on_antiviral,
        hbv_dna_iu_ml=hbv_dna_iu_ml,
        dna_upper_limit_iu_ml=dna_upper_limit_iu_ml,
    ).active_untreated
