"""The shipped protocol loads with every section; bad files fail naming field and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from oligotrial.errors import ProtocolError
from oligotrial.protocol import Condition, load_protocol, shipped_protocol_path
from oligotrial.protocol.rules import iter_conditions


def test_shipped_protocol_has_every_section() -> None:
    p = load_protocol()
    assert (p.id, p.version) == ("NCT06841172", "1.0")
    assert "Oligoprogressive HCC" in p.title
    assert [a.code for a in p.arms] == ["A", "B"]
    assert p.allocation_ratio == (1, 1)
    assert [f.name for f in p.stratification] == ["site", "oligoprogression_site", "flst_ici"]
    assert p.stratification[0].from_sites and p.stratification[0].levels == ()
    assert p.stratification[2].levels == ("ici", "no-ici")
    assert p.randomization.method == "permuted_blocks"
    assert p.randomization.block_sizes == (2, 4)
    assert p.randomization.minimization is not None
    assert p.randomization.minimization.p_best == 0.8
    first, second = p.schedule.assessments
    assert (first.every_weeks, first.window_days, first.to_week) == (8, 7, 52)
    assert (second.from_week, second.every_weeks, second.to_week) == (52, 12, None)
    assert p.schedule.ctdna == ("baseline", "first-follow-up-after-rt", "progression")
    assert p.schedule.biopsy == ("baseline", "progression")
    assert p.response["criteria"] == "recist1.1" and p.response["sd_min_days"] == 42
    assert p.endpoints["pfs"]["missed_assessments_for_gap"] == 2
    assert p.endpoints["censoring_reasons"][4].startswith("Progression or death after two")
    assert p.safety.ctcae_version == "5.0"
    assert (p.design.hazard_ratio, p.design.planned_subjects, p.design.planned_events) == (
        0.55,
        132,
        118,
    )
    assert p.design.interim_information == (0.5, 1.0)


def test_shipped_protocol_has_the_27_registry_criteria() -> None:
    p = load_protocol()
    ids = [c.id for c in p.criteria]
    assert ids == [f"I{i}" for i in range(1, 11)] + [f"E{i}" for i in range(1, 18)]
    assert len(p.inclusion) == 10 and len(p.exclusion) == 17
    assert "Child-Pugh score <=7" in p.criterion("I6").text
    assert "10,000 ng/mL" in p.criterion("E9").text
    assert {c.decided for c in p.criteria} == {"computed", "attested", "recorded"}


def test_thresholds_are_in_the_file_not_in_code() -> None:
    p = load_protocol()
    assert p.setting("age_min") == 18 and p.setting("age_max") == 75
    assert p.setting("child_pugh_max") == 7 and p.setting("afp_max_ng_ml") == 10000
    assert p.setting("early_progression_days") == 91
    assert p.setting("stable_disease_min_days") == 91
    i9 = p.criterion("I9").rule
    assert isinstance(i9, Condition) and i9.op == "between"
    assert i9.setting_refs() == ("age_min", "age_max")


def test_every_rule_reads_only_defined_settings() -> None:
    p = load_protocol()
    for criterion in p.criteria:
        for condition in iter_conditions(criterion.rule):
            for ref in condition.setting_refs():
                assert ref in p.eligibility, (criterion.id, ref)


def test_second_protocol_loads_with_other_shape(breast_protocol_path: Path) -> None:
    p = load_protocol(breast_protocol_path)
    assert p.id == "TEST-OMBC-01"
    assert p.allocation_ratio == (1, 2, 1)
    assert p.randomization.method == "minimization"
    assert [c.id for c in p.criteria] == ["I1", "I2", "I3", "I4", "E1", "E2"]
    assert p.setting("age_max") == 80
    assert p.design.sides == 1


def _write_variant(tmp_path: Path, edit: object) -> Path:
    data = yaml.safe_load(shipped_protocol_path().read_text(encoding="utf-8"))
    assert callable(edit)
    edit(data)
    out = tmp_path / "variant.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def _line_containing(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_unknown_field_names_path_and_line(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, lambda d: d["design"].update(hazzard_ratio=0.5))
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    assert err.value.field == "design.hazzard_ratio"
    assert "unknown field" in str(err.value)
    assert f"line {_line_containing(path, 'hazzard_ratio')}" in str(err.value)


def test_missing_section_is_named(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, lambda d: d.pop("schedule"))
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    assert err.value.field == "schedule"
    assert "required field is missing" in str(err.value)


def test_bad_rule_operand_names_criterion_and_line(tmp_path: Path) -> None:
    def edit(d: dict) -> None:  # type: ignore[type-arg]
        d["criteria"][5]["rule"] = {"fact": "child_pugh_score", "op": "le", "min": 7}

    path = _write_variant(tmp_path, edit)
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    assert err.value.field == "criteria.5.rule"
    assert "op 'le' takes value" in str(err.value)
    assert f"line {_line_containing(path, 'fact: child_pugh_score')}" in str(err.value)


def test_undefined_setting_is_refused(tmp_path: Path) -> None:
    path = _write_variant(tmp_path, lambda d: d["eligibility"].pop("child_pugh_max"))
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    assert err.value.field == "criteria.5.rule"
    assert "child_pugh_max" in str(err.value)


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: d.update(allocation_ratio=[1, 1, 1]), "(top level)", "one entry per arm"),
        (lambda d: d["randomization"].update(method="coin"), "randomization.method", "Input"),
        (lambda d: d["design"].update(alpha=1.5), "design.alpha", "less than 1"),
        (
            lambda d: d["design"].update(interim_information=[0.5, 0.9]),
            "design.interim_information",
            "1.0",
        ),
        (lambda d: d["criteria"][0].update(id="X1"), "criteria.0.id", "pattern"),
        (lambda d: d["criteria"][1].update(id="I1"), "(top level)", "repeated: I1"),
        (lambda d: d["stratification"][1].update(levels=["only"]), "stratification.1", "two"),
    ],
)
def test_invalid_values_are_named(tmp_path: Path, edit: object, field: str, words: str) -> None:
    path = _write_variant(tmp_path, edit)
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    assert err.value.field == field
    assert words in str(err.value)


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: X\narms: [\n  {code: A\n", encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"line \d+: not valid YAML"):
        load_protocol(path)


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dupe.yaml"
    path.write_text("id: X\nid: Y\n", encoding="utf-8")
    with pytest.raises(ProtocolError, match="line 2: duplicate key"):
        load_protocol(path)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="no such file"):
        load_protocol(tmp_path / "nope.yaml")
