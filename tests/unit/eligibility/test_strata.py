"""Strata computed from the record by the eligibility engine (``stratum_values``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from eligibility_kit import AS_OF, PROTOCOL, base

from oligotrial.eligibility import check_protocol, record_from_data, stratum_values
from oligotrial.errors import ProtocolError
from oligotrial.protocol import load_protocol

BREAST = load_protocol(Path(__file__).parents[2] / "unit/protocol/data/oligo_breast.yaml")


def _values(data: dict[str, Any], protocol: Any = PROTOCOL) -> dict[str, str | None]:
    return stratum_values(protocol, record_from_data(data, as_of=AS_OF))


def _lesion(lesion_id: str, organ: str, **extra: Any) -> dict[str, Any]:
    size = {"short_axis_mm": 17} if extra.get("nodal") else {"longest_diameter_mm": 25}
    return {"id": lesion_id, "organ": organ, "progressing": True, **size, **extra}


def _with_lesions(*lesions: dict[str, Any]) -> dict[str, Any]:
    data = base()
    data["oligoprogression"]["lesions"] = list(lesions)
    data["history"]["prior_radiotherapy"] = []
    return data


def test_example_record_has_every_non_site_factor() -> None:
    assert _values(base()) == {"oligoprogression_site": "any-extrahepatic", "flst_ici": "ici"}


def test_liver_segment_is_intrahepatic_only() -> None:
    data = _with_lesions(_lesion("L1", "Liver segment 7"), _lesion("L2", "liver"))
    assert _values(data)["oligoprogression_site"] == "intrahepatic-only"


def test_node_at_the_porta_hepatis_is_extrahepatic() -> None:
    node = _lesion("N1", "lymph node", nodal=True, lymph_node_region="porta hepatis")
    data = _with_lesions(_lesion("L1", "liver"), node)
    assert _values(data)["oligoprogression_site"] == "any-extrahepatic"


def test_node_flagged_nodal_counts_as_node_whatever_its_organ_text() -> None:
    node = _lesion("N1", "lymph node", nodal=True, lymph_node_region="12")
    assert _values(_with_lesions(node))["oligoprogression_site"] == "any-extrahepatic"


def test_only_progressing_lesions_place_the_stratum() -> None:
    stable_lung = {**_lesion("L2", "lung"), "progressing": False}
    data = _with_lesions(_lesion("L1", "liver"), stable_lung)
    assert _values(data)["oligoprogression_site"] == "intrahepatic-only"


def test_unknown_when_the_record_cannot_tell() -> None:
    data = base()
    data["oligoprogression"]["lesions"] = None
    data["flst"]["contains_ici"] = None
    assert _values(data) == {"oligoprogression_site": None, "flst_ici": None}


def test_ici_level_follows_the_record() -> None:
    data = base()
    data["flst"]["contains_ici"] = False
    assert _values(data)["flst_ici"] == "no-ici"


@pytest.mark.parametrize(
    ("organs", "level"),
    [(["liver"], "1"), (["liver", "lung"], "2-3"), (["liver", "lung", "bone"], "2-3")],
)
def test_second_protocol_strata_are_computed(organs: list[str], level: str) -> None:
    data = _with_lesions(*(_lesion(f"L{i}", organ) for i, organ in enumerate(organs)))
    assert _values(data, BREAST) == {"metastases": level}


def test_second_protocol_record_outside_every_level_is_none() -> None:
    organs = ["liver", "lung", "bone", "adrenal"]
    data = _with_lesions(*(_lesion(f"L{i}", organ) for i, organ in enumerate(organs)))
    assert _values(data, BREAST) == {"metastases": None}


def _factor_variant(**changes: Any) -> Any:
    factors = list(PROTOCOL.stratification)
    factors[1] = factors[1].model_copy(update=changes)
    return PROTOCOL.model_copy(update={"stratification": tuple(factors)})


def test_factor_fact_must_exist() -> None:
    with pytest.raises(ProtocolError) as err:
        check_protocol(_factor_variant(fact="liver_or_not"))
    assert err.value.field == "stratification.1.fact"
    assert "oligoprogression_site" in str(err.value)


def test_factor_levels_must_be_the_fact_values() -> None:
    with pytest.raises(ProtocolError) as err:
        check_protocol(_factor_variant(levels=("liver", "elsewhere")))
    assert err.value.field == "stratification.1.levels"
    assert "intrahepatic-only" in str(err.value)


def test_stratum_rule_fact_is_checked() -> None:
    factors = list(PROTOCOL.stratification)
    rules = dict(factors[2].rules or {})
    rules["ici"] = rules["ici"].model_copy(update={"fact": "contains_checkpoint"})
    factors[2] = factors[2].model_copy(update={"rules": rules})
    with pytest.raises(ProtocolError) as err:
        check_protocol(PROTOCOL.model_copy(update={"stratification": tuple(factors)}))
    assert err.value.field == "stratification.2.rules.ici"
    assert "unknown fact 'contains_checkpoint'" in str(err.value)
