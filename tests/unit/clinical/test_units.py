"""Unit conversion to canonical units: spellings, factors, refusals, round trips."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oligotrial.clinical.units import (
    _FACTORS,
    ANALYTES,
    allowed_units,
    from_canonical,
    normalize_unit,
    to_canonical,
)
from oligotrial.errors import InputError


@pytest.mark.parametrize("unit", ["µmol/L", "umol/L", "μmol/L", "UMOL/L", " µmol / l ", "mcmol/L"])
def test_bilirubin_micromolar_spellings_are_identity(unit: str) -> None:
    assert to_canonical("bilirubin", 20.5, unit) == 20.5


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "expected"),
    [
        ("bilirubin", 1.2, "mg/dL", 20.52),
        ("bilirubin", 2.0, "mg/dl", 34.2),
        ("bilirubin", 3.0, "MG/DL", 51.3),
        ("bilirubin", 12.0, "mg/L", 20.52),
        ("albumin", 3.5, "g/dL", 35.0),
        ("albumin", 2.8, "g/dl", 28.0),
        ("albumin", 35.0, "g/L", 35.0),
        ("afp", 100.0, "IU/mL", 121.0),
        ("afp", 100.0, "kU/L", 121.0),
        ("afp", 100.0, "kIU/L", 121.0),
        ("afp", 100.0, "µg/L", 100.0),
        ("afp", 100.0, "ng/mL", 100.0),
        ("inr", 1.3, None, 1.3),
        ("inr", 1.3, "", 1.3),
        ("inr", 1.3, "ratio", 1.3),
        ("hbv_dna", 2000.0, "IU/mL", 2000.0),
        ("hbv_dna", 3.0, "log10 IU/mL", 1000.0),
        ("alt", 40.0, "U/L", 40.0),
        ("ast", 40.0, "IU/L", 40.0),
        ("alt", 1.0, "µkat/L", 60.0),
        ("platelets", 150.0, "10^9/L", 150.0),
        ("platelets", 150.0, "×10^9/L", 150.0),
        ("platelets", 150.0, "x10^9/L", 150.0),
        ("platelets", 150.0, "10⁹/L", 150.0),
        ("platelets", 150.0, "10E9/L", 150.0),
        ("platelets", 150.0, "/nL", 150.0),
        ("platelets", 150.0, "G/L", 150.0),
        ("platelets", 150.0, "10^3/µL", 150.0),
        ("platelets", 150.0, "K/uL", 150.0),
        ("platelets", 150000.0, "/µL", 150.0),
        ("neutrophils", 1500.0, "cells/mm³", 1.5),
        ("neutrophils", 1.5, "x10^9/l", 1.5),
    ],
)
def test_conversion_factors(analyte: str, value: float, unit: str | None, expected: float) -> None:
    assert to_canonical(analyte, value, unit) == pytest.approx(expected, rel=1e-12)


def test_conversions_land_exactly_on_boundaries() -> None:
    # 3.5 g/dL must be 35 g/L exactly (the Child-Pugh albumin boundary), not 35.000000000000004
    assert to_canonical("albumin", 3.5, "g/dL") == 35.0
    assert to_canonical("albumin", 2.8, "g/dL") == 28.0
    assert to_canonical("afp", 10000 / 1.21, "IU/mL") == 10000.0


@pytest.mark.parametrize("alias", ["Bilirubin", "total bilirubin", "TBIL", "total_bilirubin"])
def test_analyte_aliases(alias: str) -> None:
    assert to_canonical(alias, 1.0, "mg/dL") == pytest.approx(17.1)


def test_unknown_unit_names_allowed_units() -> None:
    with pytest.raises(InputError) as err:
        to_canonical("albumin", 3.0, "mmol/L", field="labs.albumin")
    assert err.value.field == "labs.albumin.unit"
    assert "g/L" in err.value.problem and "g/dL" in err.value.problem
    assert "mmol/L" in err.value.problem


def test_missing_unit_is_unknown_for_a_concentration() -> None:
    with pytest.raises(InputError, match="bilirubin"):
        to_canonical("bilirubin", 20.0, None)


def test_ambiguous_exponent_is_refused() -> None:
    with pytest.raises(InputError):
        to_canonical("platelets", 150.0, "109/L")


def test_copies_per_ml_refused_with_reason() -> None:
    with pytest.raises(InputError, match="assay"):
        to_canonical("hbv_dna", 5000.0, "copies/mL")


def test_unknown_analyte() -> None:
    with pytest.raises(InputError, match="unknown analyte") as err:
        to_canonical("creatinine", 1.0, "mg/dL", field="labs.creatinine")
    assert err.value.field == "labs.creatinine"


@pytest.mark.parametrize("bad", [-0.1, math.nan, math.inf])
def test_impossible_values(bad: float) -> None:
    with pytest.raises(InputError) as err:
        to_canonical("bilirubin", bad, "mg/dL", field="labs.bilirubin")
    assert err.value.field == "labs.bilirubin"


@pytest.mark.parametrize("bad", ["12", True, None])
def test_non_numbers_refused(bad: object) -> None:
    with pytest.raises(InputError, match="number"):
        to_canonical("albumin", bad, "g/L")  # type: ignore[arg-type]


def test_allowed_units_lists_spellings() -> None:
    assert allowed_units("bilirubin") == ("µmol/L", "mg/dL", "mg/L")
    assert "log10 IU/mL" in allowed_units("hbv_dna")


def test_normalize_unit() -> None:
    assert normalize_unit(" ×10⁹ / L ") == "10^9/l"
    assert normalize_unit("μmol/L") == normalize_unit("µmol/L") == "umol/l"
    assert normalize_unit("cells per mm³") == "cells/mm3"


_PAIRS = [(a, u) for a in ANALYTES for u in _FACTORS[a]]


@given(
    pair=st.sampled_from(_PAIRS),
    value=st.floats(min_value=0.0, max_value=1e7, allow_nan=False, allow_infinity=False),
)
def test_round_trip(pair: tuple[str, str], value: float) -> None:
    analyte, unit = pair
    canonical = to_canonical(analyte, value, unit)
    back = from_canonical(analyte, canonical, unit)
    assert back == pytest.approx(value, rel=1e-10, abs=1e-12)


@given(value=st.floats(min_value=-3.0, max_value=10.0, allow_nan=False))
def test_log_round_trip(value: float) -> None:
    canonical = to_canonical("hbv_dna", value, "log10 IU/mL")
    assert from_canonical("hbv_dna", canonical, "log10 IU/mL") == pytest.approx(value, abs=1e-9)


def test_unit_must_be_text() -> None:
    with pytest.raises(InputError) as err:
        to_canonical("albumin", 35.0, 10, field="labs.albumin")  # type: ignore[arg-type]
    assert err.value.field == "labs.albumin.unit"
