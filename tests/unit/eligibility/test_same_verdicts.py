"""The engine's answers on a fixed corpus (the shipped examples and seeded variations,
:mod:`verdict_corpus`) are exactly the recorded ones: verdicts, reasons (values and missing
data per criterion), strata and refusals. A change made for speed must change none of them."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest
from verdict_corpus import AS_OF, EXPECTED, answer, answers, corpus

from oligotrial.clinical.lesion import Lesion
from oligotrial.eligibility import CriterionResult, record_from_data
from oligotrial.eligibility.facts import clinical_lesion
from oligotrial.errors import InputError
from oligotrial.protocol import load_protocol
from oligotrial.strict import finite


def test_every_answer_on_the_corpus_is_the_recorded_one() -> None:
    expected = [json.loads(line) for line in EXPECTED.read_text("utf-8").splitlines()]
    got = [json.loads(json.dumps(a, sort_keys=True)) for a in answers()]
    assert [a["name"] for a in got] == [a["name"] for a in expected]
    for mine, recorded in zip(got, expected, strict=True):
        assert mine == recorded, mine["name"]


def test_the_answers_do_not_depend_on_the_order_of_the_records() -> None:
    """A criterion's result is made once per value of its fact and then shared: screening
    the corpus backwards, with a protocol of its own (nothing made yet), answers alike."""
    expected = {
        a["name"]: a
        for a in (json.loads(line) for line in EXPECTED.read_text("utf-8").splitlines())
    }
    protocol = load_protocol()
    for name, data in reversed(list(corpus())):
        got = json.loads(json.dumps(answer(protocol, name, data), sort_keys=True))
        assert got == expected[name], name


def test_the_corpus_covers_every_kind_of_answer() -> None:
    kinds = {a.get("overall", "refused") for a in answers()}
    assert kinds == {"eligible", "ineligible", "incomplete", "refused"}


def test_a_result_built_by_the_engine_equals_one_built_field_by_field() -> None:
    fixed = {"id": "I6", "kind": "inclusion", "text": "Child-Pugh A", "decided": "computed"}
    made = CriterionResult.of(fixed, "cannot_tell", {"child_pugh_score": "5 to 7"}, ("labs.inr",))
    plain = CriterionResult(
        **fixed, status="cannot_tell", values={"child_pugh_score": "5 to 7"}, missing=("labs.inr",)
    )
    assert made == plain and repr(made) == repr(plain)
    assert list(vars(made)) == [f.name for f in dataclasses.fields(CriterionResult)]
    assert pickle.loads(pickle.dumps(made)) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.status = "met"  # type: ignore[misc]


def test_a_validated_lesion_passes_the_clinical_checks_it_skips() -> None:
    """``clinical_lesion`` skips the clinical lesion's checks because the record's validation
    applied them: building it the checked way gives the same lesion, for every lesion of the
    corpus (irradiated or not)."""
    seen = 0
    for _, data in corpus():
        try:
            record = record_from_data(json.loads(json.dumps(data)), as_of=AS_OF)
        except InputError:
            continue
        for lesion in record.oligoprogression.lesions or ():
            for irradiated in (False, True):
                fast = clinical_lesion(lesion, irradiated)
                fields = {f.name: getattr(fast, f.name) for f in dataclasses.fields(Lesion)}
                full = Lesion(**fields)
                assert full == fast and full.system == fast.system
                assert vars(full) == vars(fast)
                seen += 1
    assert seen > 1000


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_record_refuses_nan_and_infinity_in_the_words_of_every_other_model(value: float) -> None:
    """The record's numbers are checked by pydantic's core; the reader words the refusal as
    :func:`oligotrial.strict.finite` does for the other models."""
    from verdict_corpus import _examples

    data = json.loads(json.dumps(_examples()[0][1]))
    data["flst"]["at_start"]["largest_tumour_mm"] = value
    with pytest.raises(InputError) as caught:
        record_from_data(data, as_of=AS_OF)
    assert caught.value.field == "flst.at_start.largest_tumour_mm"
    with pytest.raises(ValueError) as plain:
        finite(value)
    assert caught.value.problem == str(plain.value)
