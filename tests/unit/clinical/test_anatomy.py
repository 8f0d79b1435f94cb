"""Organ systems and lymph-node drainage regions."""

from __future__ import annotations

import pytest

from oligotrial.clinical.anatomy import lymph_node_region, organ_system
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
        ("Porta-Hepatis", "porta hepatis"),
        ("left  supraclavicular", "left supraclavicular"),
        ("nodes near the celiac axis", "nodes near the celiac axis"),
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
