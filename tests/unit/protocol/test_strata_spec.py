"""The stratification section: how each computed factor is declared, and the errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from oligotrial.errors import ProtocolError
from oligotrial.protocol import Condition, load_protocol, shipped_protocol_path


def _variant(tmp_path: Path, factor: int, **changes: Any) -> Path:
    data = yaml.safe_load(shipped_protocol_path().read_text(encoding="utf-8"))
    entry = data["stratification"][factor]
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    out = tmp_path / "variant.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def test_shipped_factors_name_how_they_are_computed() -> None:
    site, oligo, ici = load_protocol().stratification
    assert site.from_sites and site.fact is None and site.level_rules() == ()
    assert oligo.fact == "oligoprogression_site" and oligo.rules is None
    levels = [level for level, _ in ici.level_rules()]
    assert levels == ["ici", "no-ici"]
    first = ici.level_rules()[0][1]
    assert isinstance(first, Condition) and first.fact == "flst_contains_ici"


def test_second_protocol_declares_rules_per_level(breast_protocol_path: Path) -> None:
    (factor,) = load_protocol(breast_protocol_path).stratification
    rules = dict(factor.level_rules())
    assert list(rules) == ["1", "2-3"]
    between = rules["2-3"]
    assert isinstance(between, Condition) and between.setting_refs() == ("lesions_max",)


@pytest.mark.parametrize(
    ("factor", "changes", "field", "words"),
    [
        (1, {"fact": None}, "stratification.1", "needs either fact"),
        (
            1,
            {"rules": {"intrahepatic-only": {"fact": "ecog", "op": "eq", "value": 0}}},
            "stratification.1",
            "not both",
        ),
        (
            2,
            {"rules": {"ici": {"fact": "ecog", "op": "eq", "value": 0}}},
            "stratification.2",
            "no rule for level 'no-ici'",
        ),
        (
            2,
            {
                "rules": {
                    "ici": {"fact": "ecog", "op": "eq", "value": 0},
                    "no-ici": {"fact": "ecog", "op": "gt", "value": 0},
                    "maybe": {"fact": "ecog", "op": "gt", "value": 3},
                }
            },
            "stratification.2",
            "level 'maybe' is not one of the levels",
        ),
        (0, {"fact": "ecog"}, "stratification.0", "from-sites takes no fact"),
    ],
)
def test_bad_factor_is_named(
    tmp_path: Path, factor: int, changes: dict[str, Any], field: str, words: str
) -> None:
    path = _variant(tmp_path, factor, **changes)
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    assert err.value.field == field
    assert words in str(err.value)
    assert "line" in str(err.value)


def test_undefined_setting_in_a_stratum_rule_names_the_level(tmp_path: Path) -> None:
    rules = {
        "ici": {"fact": "flst_contains_ici", "op": "is_true"},
        "no-ici": {"fact": "ecog", "op": "le", "value": {"setting": "no_such_setting"}},
    }
    path = _variant(tmp_path, 2, rules=rules)
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    assert err.value.field == "stratification.2.rules.no-ici"
    assert "no_such_setting" in str(err.value)
