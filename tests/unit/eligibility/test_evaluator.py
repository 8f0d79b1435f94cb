"""The evaluator: three-valued logic, the missing datum named, values shown, and a second
protocol screened by the same engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from eligibility_kit import PROTOCOL, ROOT, base, screen

from oligotrial.eligibility.rules_check import check_protocol
from oligotrial.errors import ProtocolError
from oligotrial.protocol import load_protocol, protocol_from_data

BREAST = ROOT / "tests" / "unit" / "protocol" / "data" / "oligo_breast.yaml"


def test_missing_datum_is_named_and_overall_incomplete() -> None:
    data = base()
    data["labs"]["albumin"] = None
    data["ascites"] = None
    result = screen(data)
    i6 = next(c for c in result.criteria if c.id == "I6")
    assert i6.status == "cannot_tell" and i6.in_favour is None
    assert i6.missing == ("labs.albumin", "ascites")
    assert i6.values == {"child_pugh_score": "5 to 9"}  # 3 known points + 2 unknown items
    assert result.overall == "incomplete"
    assert result.missing == ("labs.albumin", "ascites")


def test_one_failure_outweighs_missing_data() -> None:
    data = base()
    data["labs"]["albumin"] = None
    data["ecog"] = 2
    result = screen(data)
    assert result.overall == "ineligible" and result.failed == ("I7",)


def test_all_is_false_as_soon_as_one_part_is_false() -> None:
    data = base()
    data["attestations"]["expected_survival_months"] = None
    data["flst"]["prior_lines_with_progression"] = 2
    i4 = next(c for c in screen(data).criteria if c.id == "I4")
    assert i4.status == "not_met" and i4.missing == ()


def test_any_is_true_as_soon_as_one_part_is_true() -> None:
    data = base()
    data["history"]["in_other_interventional_study"] = True
    data["history"]["received_investigational_therapy"] = None
    e11 = next(c for c in screen(data).criteria if c.id == "E11")
    assert e11.status == "met" and e11.in_favour is False


def test_any_unknown_when_nothing_decides() -> None:
    data = base()
    data["history"]["received_investigational_therapy"] = None
    e11 = next(c for c in screen(data).criteria if c.id == "E11")
    assert e11.status == "cannot_tell"
    assert e11.missing == ("history.received_investigational_therapy",)


def test_result_json_shape() -> None:
    payload = screen(base()).to_dict()
    assert payload["overall"] == "eligible"
    assert payload["protocol"] == {"id": "NCT06841172", "version": "1.0"}
    assert len(payload["criteria"]) == 27
    e9 = next(c for c in payload["criteria"] if c["id"] == "E9")
    assert e9 == {
        "id": "E9",
        "kind": "exclusion",
        "decided": "computed",
        "status": "not_met",
        "in_favour": True,
        "values": {"afp_ng_ml": 845.0},
        "missing": [],
        "text": e9["text"],
    }


def test_second_protocol_uses_its_own_criteria_and_thresholds() -> None:
    breast = load_protocol(BREAST)
    data = base()
    result = screen(data, breast)
    assert [c.id for c in result.criteria] == ["I1", "I2", "I3", "I4", "E1", "E2"]
    # three lesions in three systems: fine for NCT06841172, too many systems here
    assert result.failed == ("I2",)
    data["birth_date"] = "1946-01-01"  # 79: too old for NCT06841172, fine here (21-80)
    data["oligoprogression"]["lesions"] = data["oligoprogression"]["lesions"][:1]
    assert screen(data, breast).overall == "eligible"
    assert screen(data).failed == ("I9",)
    data["ecog"] = 2
    assert screen(data, breast).overall == "eligible"
    data["flst"]["disease_control_date"] = "2025-03-10"  # 171 days of control < 180
    assert screen(data, breast).failed == ("I4",)


def test_second_protocol_lookback_and_exemptions_come_from_its_file() -> None:
    breast = load_protocol(BREAST)
    data = base()
    data["oligoprogression"]["lesions"] = data["oligoprogression"]["lesions"][:1]
    data["history"]["other_malignancies"] = [
        {
            "diagnosis": "x",
            "category": "other",
            "diagnosis_date": "2021-01-01",
            "curatively_treated": True,
        },
    ]
    assert screen(data).failed == ()  # 4.7 years back: outside 3 years
    assert screen(data, breast).failed == ("E1",)  # inside 5 years
    data["history"]["other_malignancies"][0].update(
        category="squamous-cell-skin", diagnosis_date="2025-01-01"
    )
    assert screen(data).failed == ()  # exempt in NCT06841172
    assert screen(data, breast).failed == ("E1",)  # only basal cell is exempt there


def _variant(edit: object) -> dict[str, Any]:
    from oligotrial.protocol import shipped_protocol_path

    data: dict[str, Any] = yaml.safe_load(shipped_protocol_path().read_text("utf-8"))
    assert callable(edit)
    edit(data)
    return data


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d["criteria"][5]["rule"].update(fact="child_pugh"), "unknown fact 'child_pugh'"),
        (lambda d: d["criteria"][6]["rule"].update(op="is_true", value=None), "not true/false"),
        (
            lambda d: d["criteria"][14]["rule"].update(op="eq", value=1),
            "true/false: use is_true or is_false",
        ),
        (lambda d: d["eligibility"].update(age_maxx=80), "not read by any criterion"),
        (lambda d: d["eligibility"].update(stable_disease_from="sd"), "flst-start"),
        (
            lambda d: d["criteria"][5]["rule"].update(value="seven"),
            "compares with numbers",
        ),
    ],
)
def test_check_protocol_refuses_rules_it_cannot_evaluate(edit: object, words: str) -> None:
    data = _variant(edit)
    protocol = protocol_from_data(data, "variant.yaml")
    with pytest.raises(ProtocolError, match=words):
        check_protocol(protocol)


def test_shipped_protocol_passes_the_check() -> None:
    check_protocol(PROTOCOL)
    check_protocol(load_protocol(BREAST))


def test_unknown_fact_error_gives_file_line(tmp_path: Path) -> None:
    text = (ROOT / "src" / "oligotrial" / "protocol" / "protocols" / "nct06841172.yaml").read_text(
        "utf-8"
    )
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("fact: child_pugh_score", "fact: child_pugh_scor"), "utf-8")
    line = next(
        n for n, t in enumerate(path.read_text("utf-8").splitlines(), 1) if "child_pugh_scor," in t
    )
    with pytest.raises(ProtocolError, match=rf"p.yaml line {line}"):
        check_protocol(load_protocol(path))
