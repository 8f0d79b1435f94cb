"""A missing datum that cannot change a verdict is not asked for (bounded facts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from eligibility_kit import AS_OF, PROTOCOL, ROOT, base, screen

from oligotrial.eligibility.facts import Missing, derive_fact
from oligotrial.eligibility.reading import record_from_data
from oligotrial.eligibility.rules_check import derivation_settings
from oligotrial.errors import InputError


def _i6(data: dict[str, Any]) -> Any:
    return next(c for c in screen(data).criteria if c.id == "I6")


def _labs(bilirubin: float, albumin: float, inr: float = 1.0) -> dict[str, Any]:
    data = base()
    data["labs"]["bilirubin"]["value"] = bilirubin
    data["labs"]["albumin"]["value"] = albumin
    data["labs"]["inr"]["value"] = inr
    return data


def test_known_points_already_above_the_cut_off_is_not_met() -> None:
    data = _labs(bilirubin=60, albumin=25)  # 3 + 3 + INR 1 + encephalopathy 1 = 8 known
    data["ascites"] = None
    i6 = _i6(data)
    assert i6.status == "not_met" and i6.missing == ()
    assert i6.values == {"child_pugh_score": "9 to 11"}


def test_maximum_possible_still_within_is_met() -> None:
    data = _labs(bilirubin=15, albumin=40)  # 4 known points, ascites 1-3: at most 7
    data["ascites"] = None
    i6 = _i6(data)
    assert i6.status == "met" and i6.missing == ()


def test_in_between_names_exactly_the_missing_items() -> None:
    data = _labs(bilirubin=40, albumin=40)  # 5 known points, 2 unknown items: 7 to 11
    data["ascites"] = None
    data["labs"]["inr"] = None
    i6 = _i6(data)
    assert i6.status == "cannot_tell"
    assert i6.missing == ("labs.inr", "ascites")


def _fact(data: dict[str, Any], name: str) -> Any:
    record = record_from_data(data, as_of=AS_OF)
    return derive_fact(name, record, derivation_settings(PROTOCOL))


def test_undecided_lesions_bound_the_measurable_count() -> None:
    data = base()
    data["history"]["prior_radiotherapy"] = None
    for lesion in data["oligoprogression"]["lesions"][1:]:
        lesion["previously_irradiated"] = None
    value = _fact(data, "measurable_oligoprogressive_lesions")
    assert isinstance(value, Missing)
    assert (value.low, value.high) == (1, 3)  # L1 measurable; L2 and N1 may be irradiated
    i5 = next(c for c in screen(data).criteria if c.id == "I5")
    assert i5.status == "met"  # one measurable lesion already meets "at least 1"


def test_irradiated_count_is_decided_once_one_lesion_was_irradiated() -> None:
    data = base()
    lesions = data["oligoprogression"]["lesions"]
    data["history"]["prior_radiotherapy"] = None
    lesions[0]["previously_irradiated"] = True
    lesions[0]["progressed_after_rt"] = True
    lesions[1]["previously_irradiated"] = None
    e6 = next(c for c in screen(data).criteria if c.id == "E6")
    assert e6.status == "met" and e6.missing == ()


# --- property: removing a datum never turns a decided verdict into its opposite --------

EXAMPLES = sorted((ROOT / "examples" / "screening").glob("*.json"))


def _leaf_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaf_paths(v, (*prefix, k))] or [prefix]
    if isinstance(node, list) and node:
        return [prefix] + [p for i, v in enumerate(node) for p in _leaf_paths(v, (*prefix, i))]
    return [prefix]


def _without(data: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    if isinstance(node, list):
        node[path[-1]] = None
    else:
        node.pop(path[-1])
    return data


def _verdicts(data: dict[str, Any]) -> dict[str, str]:
    return {c.id: c.status for c in screen(data).criteria}


@pytest.fixture(scope="module")
def decided() -> dict[Path, dict[str, str]]:
    return {path: _verdicts(json.loads(path.read_text("utf-8"))) for path in EXAMPLES}


#: Fields whose absence is itself a datum: no first study procedure yet means consent came
#: before any procedure (I8), so removing the date may decide I8 the other way.
ABSENCE_MEANS_NONE = {("consent", "first_study_procedure_date")}


def test_removing_a_field_never_flips_a_decided_verdict(
    decided: dict[Path, dict[str, str]],
) -> None:
    """Every leaf of every example removed in turn (about 3,900 screenings): a decided
    verdict stays or becomes cannot-tell, never the opposite verdict."""
    checked = 0
    for path in EXAMPLES:
        text = path.read_text("utf-8")
        for leaf in _leaf_paths(json.loads(text)):
            if not leaf or leaf in ABSENCE_MEANS_NONE:
                continue
            try:
                after = _verdicts(_without(json.loads(text), leaf))
            except InputError:
                continue  # the field is required: the record is refused, not re-decided
            checked += 1
            for criterion, before in decided[path].items():
                if before != "cannot_tell":
                    assert after[criterion] in (before, "cannot_tell"), (path.name, leaf, criterion)
    assert checked > 1000


@pytest.mark.parametrize(
    ("combine", "known", "expected"),
    [("all", False, False), ("all", True, None), ("any", True, True), ("any", False, None)],
)
def test_kleene_and_or_with_an_unknown_part(
    combine: str, known: bool, expected: bool | None
) -> None:
    from oligotrial.eligibility.evaluate import rule_truth
    from oligotrial.protocol.rules import AllOf, AnyOf, Condition

    parts = (
        Condition(fact="ecog", op="le", value=1),
        Condition(fact="afp_ng_ml", op="ge", value=10000),
    )
    rule = AllOf(all=parts) if combine == "all" else AnyOf(any=parts)
    facts = {"ecog": 0 if known else 3, "afp_ng_ml": Missing(("labs.afp",))}
    missing: list[str] = []
    assert rule_truth(rule, PROTOCOL, facts, missing) is expected
    assert missing == ([] if expected is not None else ["labs.afp"])


def _i2(at_start: dict[str, Any]) -> Any:
    data = base()
    data["flst"]["at_start"] = at_start
    return next(c for c in screen(data).criteria if c.id == "I2")


def test_bclc_decided_when_every_completion_gives_one_stage() -> None:
    # Extrahepatic spread with ECOG 0 and Child-Pugh 5: stage C whatever the rest.
    i2 = _i2({"ecog": 0, "extrahepatic_spread": True, "child_pugh_score": 5})
    assert i2.status == "met" and i2.missing == ()
    # ECOG 3: stage D whatever the rest.
    i2 = _i2({"ecog": 3})
    assert i2.status == "not_met" and i2.missing == ()


def test_bclc_undecided_names_what_could_decide_it() -> None:
    # Vascular invasion and Child-Pugh 5: C with ECOG 0-2, D with ECOG 3-4. Spread and
    # tumour burden cannot change that, so only ECOG is asked for.
    i2 = _i2({"macrovascular_invasion": True, "child_pugh_score": 5})
    assert i2.status == "cannot_tell"
    assert i2.missing == ("flst.at_start.ecog",)
    assert i2.values == {"bclc_stage_at_flst_start": "C or D"}


def test_bclc_entered_stage_used_only_when_the_data_cannot_decide() -> None:
    i2 = _i2({"bclc_stage": "B", "ecog": 3})  # computed D wins over the entered B
    assert i2.status == "not_met" and i2.values["bclc_stage_at_flst_start"] == "D"
    i2 = _i2({"bclc_stage": "C", "macrovascular_invasion": True, "child_pugh_score": 5})
    assert i2.status == "met"
