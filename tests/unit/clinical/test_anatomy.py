"""Organ systems and lymph-node drainage regions."""

from __future__ import annotations

import pytest

from oligotrial.clinical.anatomy import (
    lymph_node_region,
    lymph_node_region_code,
    lymph_node_region_vocabulary,
    organ_system,
    organ_vocabulary,
)
from oligotrial.errors import InputError


@pytest.mark.parametrize(
    ("organ", "system"),
    [
        ("liver", "liver"),
        ("Liver", "liver"),
        ("left lung", "lung"),
        ("Right-Lung", "lung"),
        ("lungs", "lung"),
        ("left adrenal gland", "adrenal"),
        ("adrenals", "adrenal"),
        ("right kidney", "kidney"),
        ("bone", "bone"),
        ("rib", "bone"),
        ("vertebra", "bone"),
        ("lymph node", "lymph-node"),
        ("Lymph_Nodes", "lymph-node"),
        ("peritoneal", "peritoneum"),
        ("abdominal wall", "abdominal-wall"),
        ("right lower lobe lung", "lung"),
        ("lung nodule", "lung"),
        ("right lobe of the liver", "liver"),
        ("porta hepatis lymph node", "lymph-node"),
        ("lymph node liver hilum", "lymph-node"),
        ("bone metastasis", "bone"),
        ("T12 vertebra", "bone"),
        ("chest wall", "chest-wall"),
    ],
)
def test_organ_system(organ: str, system: str) -> None:
    assert organ_system(organ) == system


@pytest.mark.parametrize("bad", ["", "   ", "left"])
def test_organ_required(bad: str) -> None:
    with pytest.raises(InputError):
        organ_system(bad)


@pytest.mark.parametrize(
    ("text", "code"), [("肝脏", "liver"), ("右肺", "lung"), ("肾上腺", "adrenal")]
)
def test_chinese_names_map_to_codes(text: str, code: str) -> None:
    assert organ_system(text) == code


@pytest.mark.parametrize("bad", ["spleeen", "tumour", "hilum"])
def test_unmapped_organ_is_refused_with_the_choices(bad: str) -> None:
    with pytest.raises(InputError) as err:
        organ_system(bad, field="lesions.0.organ")
    assert err.value.field == "lesions.0.organ"
    assert "choose one of: liver, lung, lymph-node, bone, adrenal" in str(err.value)


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("near the stomach", "supraclavicular-left"),
        ("99", "unknown lymph-node station"),
        ("supraclavicular", "give the side"),
    ],
)
def test_unmapped_region_is_refused_with_the_choices(bad: str, words: str) -> None:
    with pytest.raises(InputError) as err:
        lymph_node_region(bad)
    assert err.value.field == "lymph_node_region"
    assert words in str(err.value)


def test_name_and_number_of_the_same_nodes_are_one_region() -> None:
    assert lymph_node_region("porta hepatis") == lymph_node_region("12p")


def test_region_code_keeps_the_sub_station() -> None:
    assert lymph_node_region_code("No. 16a1") == "16a1"
    assert lymph_node_region_code("#12P") == "12p"
    assert lymph_node_region_code("Left axillary") == "axillary-left"


def test_vocabularies_have_both_labels_for_every_code() -> None:
    organs, regions = organ_vocabulary(), lymph_node_region_vocabulary()
    assert organs["liver"] == {"en": "liver", "zh": "肝脏"}
    assert organs["lymph-node"]["zh"] == "淋巴结"
    for code in ("lung", "bone", "adrenal", "peritoneum", "brain", "portal-vein"):
        assert code in organs
    assert regions["16a"]["zh"].startswith("16a")
    assert regions["supraclavicular-left"] == {"en": "left supraclavicular", "zh": "左锁骨上"}
    for vocabulary in (organs, regions):
        for code, labels in vocabulary.items():
            assert set(labels) == {"en", "zh"} and all(labels.values()), code
    # every code maps to itself, so a form can send the code
    assert all(organ_system(code) == code for code in organs)
    assert all(lymph_node_region_code(code) == code for code in regions)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("8", "8"),
        ("8a", "8"),
        ("8p", "8"),
        ("12", "12"),
        ("12p", "12"),
        ("12b", "12"),
        ("13", "13"),
        ("16a1", "16a"),
        ("16a2", "16a"),
        ("16b1", "16b"),
        ("16b2", "16b"),
        ("16A1", "16a"),
        ("No. 16a1", "16a"),
        ("No.16b2", "16b"),
        ("#12p", "12"),
        ("station 16 b1", "16b"),
        ("Porta-Hepatis", "12"),  # the hepatic hilum is part of station 12
        ("hepatic hilum", "12"),
        ("肝门", "12"),
        ("12组", "12"),
        ("left  supraclavicular", "supraclavicular-left"),
        ("Supraclavicular, right", "supraclavicular-right"),
        ("nodes near the celiac axis", "9"),
        ("mediastinal", "mediastinal"),
    ],
)
def test_lymph_node_region(text: str, region: str) -> None:
    assert lymph_node_region(text) == region


def test_bare_16_is_ambiguous() -> None:
    with pytest.raises(InputError, match="16a or 16b"):
        lymph_node_region("16")


def test_split_stations_configurable() -> None:
    split = frozenset({"16", "12"})
    assert lymph_node_region("12p", split_stations=split) == "12p"
    assert lymph_node_region("12a", split_stations=split) == "12a"
    assert lymph_node_region("8a", split_stations=split) == "8"
