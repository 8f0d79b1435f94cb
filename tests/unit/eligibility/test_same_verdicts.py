"""The engine's answers on a fixed corpus (the shipped examples and seeded variations,
:mod:`verdict_corpus`) are exactly the recorded ones: verdicts, reasons (values and missing
data per criterion), strata and refusals. A change made for speed must change none of them."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest
from verdict_corpus import EXPECTED, answers

from oligotrial.eligibility import CriterionResult


def test_every_answer_on_the_corpus_is_the_recorded_one() -> None:
    expected = [json.loads(line) for line in EXPECTED.read_text("utf-8").splitlines()]
    got = [json.loads(json.dumps(a, sort_keys=True)) for a in answers()]
    assert [a["name"] for a in got] == [a["name"] for a in expected]
    for mine, recorded in zip(got, expected, strict=True):
        assert mine == recorded, mine["name"]


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
