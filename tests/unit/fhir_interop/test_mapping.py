"""The mapping table: codes as data, longest ICD-10 prefix, units for the unit table."""

from __future__ import annotations

import pytest

from oligotrial.clinical.units import ANALYTES, to_canonical
from oligotrial.errors import InputError
from oligotrial.interop.fhir.mapping import load_mapping, parse_mapping

ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOINC = "http://loinc.org"


def test_every_lab_is_an_analyte_of_the_unit_table() -> None:
    labs = {rule.lab for rule in load_mapping().observations.values() if rule.lab}
    assert labs <= set(ANALYTES)
    assert {"bilirubin", "albumin", "inr", "afp", "hbv_dna"} <= labs


def test_both_bilirubin_codes_are_bilirubin() -> None:
    table = load_mapping().observations
    assert table[(LOINC, "1975-2")].lab == "bilirubin"  # mass per volume
    assert table[(LOINC, "14631-6")].lab == "bilirubin"  # moles per volume


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("C22.0", ("marks", "hcc")),
        ("C22.1", ("ignore", "other primary liver cancer")),
        ("C18.9", ("malignancy", "other")),
        ("C78.0", ("ignore", "secondary (metastasis)")),
        ("D06.9", ("malignancy", "carcinoma-in-situ")),
        ("Z94.4", ("field", "history.organ_transplant")),
    ],
)
def test_longest_prefix_decides(code: str, expected: tuple[str, str]) -> None:
    rule = load_mapping().condition(ICD10, code)
    assert rule is not None
    assert getattr(rule, expected[0]) == expected[1]


def test_unknown_code_is_not_guessed() -> None:
    table = load_mapping()
    assert table.condition(ICD10, "J44.9") is None
    assert table.condition("http://example.org/other", "C22.0") is None


def test_ucum_codes_become_the_unit_tables_spelling() -> None:
    table = load_mapping()
    assert table.unit("umol/L", "umol/L") == "µmol/L"
    assert table.unit("[IU]/mL", None) == "IU/mL"
    assert table.unit("{INR}", "1") == ""
    # same bilirubin in either unit is the same canonical value
    mg = to_canonical("bilirubin", 1.2, table.unit("mg/dL", "mg/dL"))
    umol = to_canonical("bilirubin", 20.52, table.unit("umol/L", "µmol/L"))
    assert mg == pytest.approx(umol)


def test_bad_table_names_the_entry() -> None:
    data = {
        "systems": {"loinc": LOINC},
        "ucum": {},
        "lab_recent_days": 90,
        "regimen_window_days": 21,
        "observations": [{"system": "snomed", "code": "1", "lab": "bilirubin"}],
        "conditions": [],
        "medications": [],
        "procedures": [],
        "diagnostic_reports": {"basis": [], "conclusions": []},
    }
    with pytest.raises(InputError, match=r"observations\.0: unknown code system 'snomed'"):
        parse_mapping(data)
