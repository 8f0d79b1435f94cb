"""Active untreated HBV (E7): with and without antivirals, at the site limit."""

from __future__ import annotations

import math

import pytest

from oligotrial.clinical.hbv import hbv_active_untreated, hbv_status
from oligotrial.clinical.units import to_canonical
from oligotrial.errors import InputError


@pytest.mark.parametrize(
    ("hbsag", "antiviral", "dna", "limit", "expected"),
    [
        (True, False, 21.0, 20.0, True),
        (True, False, 20.0, 20.0, False),
        (True, False, 0.0, 20.0, False),
        (True, True, 1e6, 20.0, False),
        (False, False, 1e6, 20.0, False),
        (True, False, 100.0, 100.0, False),
        (True, False, 100.01, 100.0, True),
    ],
)
def test_decision(hbsag: bool, antiviral: bool, dna: float, limit: float, expected: bool) -> None:
    assert (
        hbv_active_untreated(
            hbsag_positive=hbsag,
            on_antiviral=antiviral,
            hbv_dna_iu_ml=dna,
            dna_upper_limit_iu_ml=limit,
        )
        is expected
    )


def test_reasons() -> None:
    status = hbv_status(
        hbsag_positive=True, on_antiviral=False, hbv_dna_iu_ml=2000.0, dna_upper_limit_iu_ml=20.0
    )
    assert status.reason == (
        "HBsAg positive, HBV DNA 2000 IU/mL above the site limit 20 IU/mL, no antiviral treatment"
    )
    assert (
        hbv_status(
            hbsag_positive=True, on_antiviral=True, hbv_dna_iu_ml=None, dna_upper_limit_iu_ml=None
        ).reason
        == "HBsAg positive, on antiviral treatment"
    )


def test_log_units_via_conversion() -> None:
    dna = to_canonical("hbv_dna", 3.3, "log10 IU/mL")  # 1995 IU/mL
    assert (
        hbv_active_untreated(
            hbsag_positive=True, on_antiviral=False, hbv_dna_iu_ml=dna, dna_upper_limit_iu_ml=2000.0
        )
        is False
    )


def test_dna_not_needed_when_it_cannot_change_the_answer() -> None:
    for hbsag, antiviral in ((False, False), (True, True), (False, True)):
        assert not hbv_active_untreated(
            hbsag_positive=hbsag,
            on_antiviral=antiviral,
            hbv_dna_iu_ml=None,
            dna_upper_limit_iu_ml=None,
        )


@pytest.mark.parametrize(
    ("dna", "limit", "field"),
    [
        (None, 20.0, "hbv_dna_iu_ml"),
        (100.0, None, "dna_upper_limit_iu_ml"),
        (-1.0, 20.0, "hbv_dna_iu_ml"),
        (math.nan, 20.0, "hbv_dna_iu_ml"),
        (100.0, 0.0, "dna_upper_limit_iu_ml"),
    ],
)
def test_missing_or_impossible(dna: float | None, limit: float | None, field: str) -> None:
    with pytest.raises(InputError) as err:
        hbv_active_untreated(
            hbsag_positive=True, on_antiviral=False, hbv_dna_iu_ml=dna, dna_upper_limit_iu_ml=limit
        )
    assert err.value.field == field


def test_flags_must_be_booleans() -> None:
    with pytest.raises(InputError) as err:
        hbv_active_untreated(
            hbsag_positive="yes",
            on_antiviral=False,  # type: ignore[arg-type]
            hbv_dna_iu_ml=1.0,
            dna_upper_limit_iu_ml=20.0,
        )
    assert err.value.field == "hbsag_positive"
