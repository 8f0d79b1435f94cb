"""Strict input: ``true`` is not an ECOG of 1 nor a diameter of 1 mm, ``"30"`` is not a
number, NaN and infinity are refused with their own message, a number is not a date, and
contradictory lesion data are refused, each naming the field path."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eligibility_kit import AS_OF, base

from oligotrial.eligibility.reading import record_from_data
from oligotrial.errors import InputError

LESION = "oligoprogression.lesions"


def _refused(data: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as err:
        record_from_data(data, as_of=AS_OF)
    return err.value


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[int(last) if last.isdigit() else last] = value


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("ecog", True, "valid integer (got True)"),
        ("ecog", "1", "valid integer (got '1')"),
        ("ecog", 1.0, "valid integer"),
        ("flst.at_start.child_pugh_score", False, "valid integer"),
        ("flst.adverse_events.0.grade", "2", "valid integer"),
        (f"{LESION}.0.longest_diameter_mm", True, "valid number (got True)"),
        (f"{LESION}.0.longest_diameter_mm", "30", "valid number (got '30')"),
        ("labs.albumin.value", "38.5", "valid number"),
        ("labs.alt.upper_limit", True, "valid number"),
        ("attestations.expected_survival_months", "12", "valid number"),
        ("consent.signed", 1, "valid boolean (got 1)"),
        ("samples.tumour", "true", "valid boolean"),
        (f"{LESION}.0.progressing", "yes", "valid boolean"),
        ("history.organ_transplant", 0, "valid boolean"),
        ("screening_date", 20250915, "a date is text YYYY-MM-DD, got 20250915"),
        ("labs.afp.date", 0, "a date is text"),
    ],
)
def test_a_value_of_another_type_is_refused(path: str, value: Any, words: str) -> None:
    data = base()
    _set(data, path, value)
    err = _refused(data)
    assert err.field == path, str(err)
    assert words in err.problem, str(err)


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("labs.afp.value", float("nan"), "not NaN"),
        ("labs.bilirubin.upper_limit", float("inf"), "not infinity"),
        (f"{LESION}.0.longest_diameter_mm", float("inf"), "not infinity"),
        (f"{LESION}.2.short_axis_mm", float("nan"), "not NaN"),
        ("attestations.expected_survival_months", float("nan"), "not NaN"),
        ("flst.at_start.largest_tumour_mm", float("-inf"), "not -infinity"),
    ],
)
def test_nan_and_infinity_have_their_own_message(path: str, value: float, words: str) -> None:
    data = base()
    _set(data, path, value)
    err = _refused(data)
    assert (err.field, err.problem) == (path, f"must be a finite number, {words}"), str(err)


def test_nan_written_in_json_text_is_refused() -> None:
    text = json.dumps(base()).replace('"value": 845', '"value": NaN')
    assert "NaN" in text
    with pytest.raises(InputError, match=r"^labs\.afp\.value: must be a finite number, not NaN$"):
        record_from_data(json.loads(text), as_of=AS_OF)


def test_a_json_integer_is_a_number() -> None:
    data = base()
    _set(data, f"{LESION}.0.longest_diameter_mm", 30)
    _set(data, "labs.albumin.value", 38)
    record = record_from_data(data, as_of=AS_OF)
    lesions = record.oligoprogression.lesions
    assert lesions is not None and lesions[0].longest_diameter_mm == 30.0
    assert record.labs.albumin is not None and record.labs.albumin.value == 38.0


def _irradiated_progressing(**lesion: Any) -> dict[str, Any]:
    data = base()
    data["oligoprogression"]["lesions"][1].update(lesion)
    return data


@pytest.mark.parametrize(
    "data",
    [
        _irradiated_progressing(previously_irradiated=True, progressed_after_rt=False),
        _irradiated_progressing(previously_irradiated=True),  # false by default
    ],
    ids=["stated", "left-out"],
)
def test_irradiated_progressing_lesion_not_progressed_after_rt_is_refused(
    data: dict[str, Any],
) -> None:
    err = _refused(data)
    assert err.field == f"{LESION}.1.progressed_after_rt"
    assert "previously irradiated lesion that is progressing" in err.problem
    data["oligoprogression"]["lesions"][1]["progressed_after_rt"] = True
    record_from_data(data, as_of=AS_OF)  # consistent now
    data["oligoprogression"]["lesions"][1].update(progressed_after_rt=False, progressing=False)
    record_from_data(data, as_of=AS_OF)  # irradiated, stable: consistent


def test_a_course_naming_a_lesion_marked_never_irradiated_is_refused() -> None:
    data = base()
    data["history"]["prior_radiotherapy"] = [{"site": "lung SBRT", "lesion_ids": ["L2"]}]
    data["oligoprogression"]["lesions"][1]["previously_irradiated"] = False
    err = _refused(data)
    assert err.field == f"{LESION}.1.previously_irradiated"
    assert "history.prior_radiotherapy.0.lesion_ids names lesion L2" in err.problem


def test_a_course_naming_a_progressing_lesion_needs_progression_after_rt() -> None:
    data = base()
    data["history"]["prior_radiotherapy"] = [{"site": "lung SBRT", "lesion_ids": ["L2"]}]
    data["oligoprogression"]["lesions"][1]["previously_irradiated"] = None
    err = _refused(data)
    assert err.field == f"{LESION}.1.progressed_after_rt"
    assert "(history.prior_radiotherapy.0.lesion_ids names it)" in err.problem
    data["oligoprogression"]["lesions"][1]["progressed_after_rt"] = True
    record_from_data(data, as_of=AS_OF)


def test_a_short_axis_longer_than_the_longest_diameter_is_refused() -> None:
    data = base()
    data["oligoprogression"]["lesions"][0].update(longest_diameter_mm=20, short_axis_mm=25)
    err = _refused(data)
    assert err.field == f"{LESION}.0.short_axis_mm"
    assert err.problem == "25 mm is longer than longest_diameter_mm (20 mm)"
    data["oligoprogression"]["lesions"][0]["short_axis_mm"] = 20
    record_from_data(data, as_of=AS_OF)
