"""RECIST 1.1 measurability at every size and category boundary."""

from __future__ import annotations

import math

import pytest

from oligotrial.clinical.lesions import Lesion, measurability
from oligotrial.errors import InputError


@pytest.mark.parametrize(
    ("short_axis", "category"),
    [(9.9, "normal"), (10.0, "non-measurable"), (14.9, "non-measurable"), (15.0, "measurable")],
)
def test_node_short_axis_edges(short_axis: float, category: str) -> None:
    node = Lesion("lymph node", lymph_node_region="12", short_axis_mm=short_axis)
    result = measurability(node)
    assert result.category == category
    assert f"{short_axis:g} mm" in result.reason


def test_node_uses_short_axis_not_longest_diameter() -> None:
    node = Lesion(
        "liver", nodal=True, lymph_node_region="12", longest_diameter_mm=30.0, short_axis_mm=12.0
    )
    assert measurability(node).category == "non-measurable"


@pytest.mark.parametrize(
    ("diameter", "slice_mm", "measurable"),
    [
        (9.9, 5.0, False),
        (10.0, 5.0, True),
        (10.0, None, True),
        (10.0, 1.25, True),
        (10.0, 6.0, False),
        (11.9, 6.0, False),
        (12.0, 6.0, True),
        (15.9, 8.0, False),
        (16.0, 8.0, True),
    ],
)
def test_non_nodal_size_rule_and_slice_thickness(
    diameter: float, slice_mm: float | None, measurable: bool
) -> None:
    lesion = Lesion("lung", longest_diameter_mm=diameter, slice_thickness_mm=slice_mm)
    result = measurability(lesion)
    assert result.measurable is measurable
    expected_threshold = 10.0 if slice_mm is None or slice_mm <= 5 else 2 * slice_mm
    assert result.threshold_mm == expected_threshold


def test_missing_slice_thickness_is_stated() -> None:
    result = measurability(Lesion("liver", longest_diameter_mm=25.0))
    assert "assumed ≤ 5 mm" in result.reason


@pytest.mark.parametrize(
    ("modality", "diameter", "measurable"),
    [
        ("X-ray", 19.9, False),
        ("chest x-ray", 20.0, True),
        ("clinical", 10.0, True),
        ("MRI", 10.0, True),
        ("ultrasound", 40.0, False),
        ("PET", 40.0, False),
        ("PET/CT", 10.0, True),
    ],
)
def test_modalities(modality: str, diameter: float, measurable: bool) -> None:
    result = measurability(Lesion("lung", longest_diameter_mm=diameter, modality=modality))
    assert result.measurable is measurable


def test_unknown_modality() -> None:
    with pytest.raises(InputError) as err:
        Lesion("lung", longest_diameter_mm=20.0, modality="scintigraphy")
    assert err.value.field == "modality"


@pytest.mark.parametrize(
    ("bone_type", "soft_tissue", "measurable", "phrase"),
    [
        ("blastic", 30.0, False, "blastic"),
        ("lytic", None, False, "without a soft-tissue component"),
        ("lytic", 9.9, False, "too small"),
        ("lytic", 10.0, True, "soft-tissue component 10 mm"),
        ("mixed", 12.0, True, "soft-tissue"),
        (None, None, False, "without a soft-tissue component"),
    ],
)
def test_bone(
    bone_type: str | None, soft_tissue: float | None, measurable: bool, phrase: str
) -> None:
    lesion = Lesion(
        "bone", bone_type=bone_type, longest_diameter_mm=50.0, soft_tissue_component_mm=soft_tissue
    )
    result = measurability(lesion)
    assert result.measurable is measurable
    assert phrase in result.reason


def test_bone_soft_tissue_follows_slice_rule() -> None:
    lesion = Lesion(
        "vertebra", bone_type="lytic", soft_tissue_component_mm=12.0, slice_thickness_mm=7.0
    )
    assert not measurability(lesion).measurable


@pytest.mark.parametrize(
    "kind", ["effusion", "pleural effusion", "ascites", "lymphangitic", "leptomeningeal"]
)
def test_never_measurable_kinds(kind: str) -> None:
    result = measurability(Lesion("pleura", longest_diameter_mm=80.0, kind=kind))
    assert result.category == "non-measurable"
    assert "never measurable" in result.reason


@pytest.mark.parametrize(
    ("progressed", "policy", "measurable"),
    [(False, True, False), (True, True, True), (True, False, False), (False, False, False)],
)
def test_previously_irradiated(progressed: bool, policy: bool, measurable: bool) -> None:
    lesion = Lesion(
        "lung", longest_diameter_mm=25.0, previously_irradiated=True, progressed_after_rt=progressed
    )
    result = measurability(lesion, irradiated_measurable_if_progressed=policy)
    assert result.measurable is measurable
    if not measurable:
        assert "irradiated" in result.reason


def test_irradiated_and_progressed_still_needs_size() -> None:
    lesion = Lesion(
        "lung", longest_diameter_mm=8.0, previously_irradiated=True, progressed_after_rt=True
    )
    assert not measurability(lesion).measurable


def test_progressed_after_rt_requires_rt() -> None:
    with pytest.raises(InputError) as err:
        Lesion("lung", longest_diameter_mm=20.0, progressed_after_rt=True)
    assert err.value.field == "progressed_after_rt"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("longest_diameter_mm", -1.0),
        ("short_axis_mm", -0.1),
        ("soft_tissue_component_mm", -5.0),
        ("slice_thickness_mm", 0.0),
        ("longest_diameter_mm", math.nan),
        ("longest_diameter_mm", math.inf),
    ],
)
def test_impossible_sizes(field: str, value: float) -> None:
    with pytest.raises(InputError) as err:
        Lesion("lung", **{field: value})  # type: ignore[arg-type]
    assert err.value.field == field


def test_missing_size_is_an_error_not_a_verdict() -> None:
    with pytest.raises(InputError) as err:
        measurability(Lesion("lung"))
    assert err.value.field == "longest_diameter_mm"
    with pytest.raises(InputError) as err:
        measurability(Lesion("lymph node", lymph_node_region="8"))
    assert err.value.field == "short_axis_mm"


def test_vocabulary_checks() -> None:
    with pytest.raises(InputError) as err:
        Lesion("bone", bone_type="sclerotic-ish")
    assert err.value.field == "bone_type"
    with pytest.raises(InputError) as err:
        Lesion("lung", bone_type="lytic")
    assert err.value.field == "bone_type"
    with pytest.raises(InputError) as err:
        Lesion("lung", kind="fluffy")
    assert err.value.field == "kind"
    with pytest.raises(InputError) as err:
        Lesion("liver", lymph_node_region="12")
    assert err.value.field == "lymph_node_region"
