"""Bad input is refused with the field path and the problem; the schema is printable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from eligibility_kit import AS_OF, base

from oligotrial.eligibility.reading import record_from_data
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.errors import InputError


def _refused(data: dict[str, Any], as_of: dt.date = AS_OF) -> InputError:
    with pytest.raises(InputError) as err:
        record_from_data(data, as_of=as_of)
    return err.value


def test_valid_record_loads() -> None:
    record = record_from_data(base(), as_of=AS_OF)
    assert record.patient_id == "SDCH-0001"
    assert record.oligoprogression.lesions is not None


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: d.update(colour="red"), "colour", "unknown field"),
        (lambda d: d["flst"].update(statr_date="2024-01-01"), "flst.statr_date", "unknown field"),
        (lambda d: d["labs"]["afp"].update(units="ng/mL"), "labs.afp.units", "unknown field"),
        (lambda d: d.pop("screening_date"), "screening_date", "required"),
        (lambda d: d.update(ecog=7), "ecog", "less than or equal to 5"),
        (lambda d: d.update(sex="x"), "sex", "'female' or 'male'"),
        (
            lambda d: d["oligoprogression"]["lesions"][0].update(longest_diameter_mm=-3),
            "oligoprogression.lesions.0.longest_diameter_mm",
            "greater than or equal to 0",
        ),
        (
            lambda d: d["oligoprogression"]["lesions"][0].update(slice_thickness_mm=0),
            "oligoprogression.lesions.0.slice_thickness_mm",
            "greater than 0",
        ),
        (lambda d: d["labs"]["inr"].update(value=0), "labs.inr.value", "greater than 0"),
        (lambda d: d["labs"]["inr"].update(value=-1.1), "labs.inr.value", "0 or more"),
        (lambda d: d["labs"]["albumin"].update(value=0), "labs.albumin.value", "greater than 0"),
        (lambda d: d["labs"]["afp"].update(unit="mg/furlong"), "labs.afp.unit", "unknown unit"),
        (lambda d: d["labs"]["hbv_dna"].update(unit="copies/mL"), "labs.hbv_dna.unit", "assay"),
        (
            lambda d: d["labs"]["alt"].update(lower_limit=50, upper_limit=40),
            "labs.alt",
            "lower_limit is above upper_limit",
        ),
        (lambda d: d.update(screening_date="2026-02-01"), "screening_date", "in the future"),
        (lambda d: d.update(screening_date="2025-02-30"), "screening_date", "date"),
        (
            lambda d: d["flst"].update(start_date="2023-12-01"),
            "flst.start_date",
            "before diagnosis.date",
        ),
        (
            lambda d: d["oligoprogression"].update(date="2025-10-01"),
            "screening_date",
            "before oligoprogression.date",
        ),
        (
            lambda d: d.update(birth_date="2024-06-01"),
            "diagnosis.date",
            "before birth_date",
        ),
        (
            lambda d: d["oligoprogression"]["lesions"][1].update(id="L1"),
            "oligoprogression.lesions",
            "unique",
        ),
        (
            lambda d: d["oligoprogression"]["lesions"][2].update(lymph_node_region="16"),
            "oligoprogression.lesions.2.lymph_node_region",
            "16a or 16b",
        ),
        (
            lambda d: d["oligoprogression"]["lesions"][0].update(bone_type="lytic"),
            "oligoprogression.lesions.0.bone_type",
            "not bone",
        ),
        (
            lambda d: d["history"].update(
                prior_radiotherapy=[{"site": "liver", "lesion_ids": ["nope"]}]
            ),
            "history.prior_radiotherapy.0.lesion_ids",
            "no lesion with id nope",
        ),
        (
            lambda d: d["flst"]["at_start"].update(
                tumour_count=0, macrovascular_invasion=False, extrahepatic_spread=False
            ),
            "flst.at_start.tumour_count",
            "nothing to stage",
        ),
    ],
)
def test_bad_input_names_field_and_problem(edit: Any, field: str, words: str) -> None:
    data = base()
    edit(data)
    err = _refused(data)
    assert err.field == field, str(err)
    assert words in err.problem, str(err)


def test_more_problems_are_counted() -> None:
    data = base()
    data["colour"] = "red"
    data["ecog"] = 9
    assert "and 1 more problem" in str(_refused(data))


def test_future_is_relative_to_as_of() -> None:
    data = base()
    err = _refused(data, as_of=dt.date(2025, 9, 14))
    assert err.field == "screening_date" and "future" in err.problem
    record_from_data(data, as_of=dt.date(2025, 9, 15))  # the same day is fine


def test_a_record_must_be_an_object() -> None:
    with pytest.raises(InputError, match="JSON object"):
        record_from_data([1, 2], as_of=AS_OF)


def test_json_schema_forbids_unknown_fields_and_documents_units() -> None:
    schema = ScreeningRecord.model_json_schema()
    assert schema["additionalProperties"] is False
    assert "screening_date" in schema["required"]
    lab = schema["$defs"]["Lab"]
    assert lab["additionalProperties"] is False
    assert "unit" in lab["required"]
    labs = schema["$defs"]["Labs"]["properties"]
    assert "IU/mL" in labs["afp"]["description"]
