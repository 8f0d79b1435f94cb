"""The synthetic generator writes organs and lymph-node regions the vocabulary accepts."""

from __future__ import annotations

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM, lymph_node_region, organ_system
from oligotrial.synth.catalogue import BONE_SITES, EXTRAHEPATIC_ORGANS, LYMPH_NODE_REGIONS
from oligotrial.synth.tumour import NEW_LESION_ORGANS


def test_every_generated_organ_maps_to_a_code() -> None:
    organs = ["liver", *(o for o, _ in EXTRAHEPATIC_ORGANS), *NEW_LESION_ORGANS]
    codes = {organ_system(organ) for organ in organs}
    assert {"liver", "lung", "bone", "adrenal", LYMPH_NODE_SYSTEM} <= codes
    assert {organ_system(site) for site in BONE_SITES} == {"bone"}


def test_every_generated_region_is_its_own_drainage_region() -> None:
    regions = [lymph_node_region(region) for region in LYMPH_NODE_REGIONS]
    assert len(set(regions)) == len(LYMPH_NODE_REGIONS)
