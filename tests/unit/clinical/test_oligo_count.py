"""Counting oligoprogressive lesions and organs/systems for inclusion criterion 3."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oligotrial.clinical.lesions import Lesion, count_oligoprogressive
from oligotrial.errors import InputError


def liver(label: str = "") -> Lesion:
    return Lesion("liver", longest_diameter_mm=20.0, progressing=True, label=label)


def node(region: str, label: str = "") -> Lesion:
    return Lesion(
        "lymph node", lymph_node_region=region, short_axis_mm=16.0, progressing=True, label=label
    )


def test_16a_and_16b_are_separate_regions() -> None:
    result = count_oligoprogressive([node("16a1"), node("16b1")])
    assert (result.lesions, result.organ_systems) == (2, 1)
    assert [c.region for c in result.detail] == ["16a", "16b"]


def test_16a1_and_16a2_are_one_region() -> None:
    result = count_oligoprogressive([node("16a1", "N1"), node("16a2", "N2")])
    assert (result.lesions, result.organ_systems) == (1, 1)
    assert result.detail[0].labels == ("N1", "N2")
    assert "region 16a (2 nodes: N1, N2) counts once" in result.explain()


def test_several_nodes_in_one_region_count_once() -> None:
    result = count_oligoprogressive([node("12"), node("12p"), node("No. 12"), node("8a")])
    assert result.lesions == 2
    assert {c.region: len(c.indices) for c in result.detail} == {"12": 3, "8": 1}


def test_all_node_regions_are_one_system() -> None:
    result = count_oligoprogressive([node("8"), node("12"), node("13"), node("16a1"), node("16b2")])
    assert (result.lesions, result.organ_systems) == (5, 1)
    assert result.systems == ("lymph-node",)


def test_paired_organs_one_organ() -> None:
    lesions = [
        Lesion("left lung", longest_diameter_mm=12.0, progressing=True),
        Lesion("right lung", longest_diameter_mm=12.0, progressing=True),
        Lesion("left adrenal", longest_diameter_mm=12.0, progressing=True),
        Lesion("right adrenal gland", longest_diameter_mm=12.0, progressing=True),
    ]
    result = count_oligoprogressive(lesions)
    assert (result.lesions, result.organ_systems) == (4, 2)
    assert result.systems == ("adrenal", "lung")


def test_bone_is_one_system() -> None:
    lesions = [
        Lesion("rib", progressing=True),
        Lesion("vertebra", progressing=True),
        Lesion("bone", progressing=True),
    ]
    result = count_oligoprogressive(lesions)
    assert (result.lesions, result.organ_systems) == (3, 1)


def test_five_vs_six_lesions() -> None:
    five = count_oligoprogressive([liver() for _ in range(5)])
    six = count_oligoprogressive([liver() for _ in range(6)])
    assert (five.lesions, five.within()) == (5, True)
    assert (six.lesions, six.within()) == (6, False)
    assert five.intrahepatic_only


def test_three_vs_four_systems() -> None:
    three = [liver(), Lesion("lung", progressing=True), node("16a1")]
    four = [*three, Lesion("bone", progressing=True)]
    assert count_oligoprogressive(three).organ_systems == 3
    assert count_oligoprogressive(three).within()
    assert count_oligoprogressive(four).organ_systems == 4
    assert not count_oligoprogressive(four).within()


def test_non_progressing_lesions_not_counted() -> None:
    lesions = [liver(), Lesion("lung", longest_diameter_mm=30.0, progressing=False)]
    result = count_oligoprogressive(lesions)
    assert (result.lesions, result.organ_systems) == (1, 1)
    assert result.not_progressing == (1,)


def test_nothing_progressing_is_not_within() -> None:
    result = count_oligoprogressive([])
    assert (result.lesions, result.organ_systems, result.within()) == (0, 0, False)


def test_progressing_node_needs_region() -> None:
    with pytest.raises(InputError) as err:
        count_oligoprogressive(
            [liver(), Lesion("lymph node", short_axis_mm=20.0, progressing=True)]
        )
    assert err.value.field == "lesions[1].lymph_node_region"


def test_bare_16_refused_with_index() -> None:
    with pytest.raises(InputError) as err:
        count_oligoprogressive([node("16")])
    assert err.value.field == "lesions[0].lymph_node_region"


def test_explain_names_each_counted_lesion() -> None:
    result = count_oligoprogressive(
        [liver("L1"), node("16b1", "N1"), Lesion("lung", progressing=True)]
    )
    text = result.explain()
    assert text.splitlines()[0] == (
        "3 oligoprogressive lesion(s) in 3 organ(s)/system(s): liver, lung, lymph-node"
    )
    assert "liver: lesion L1" in text
    assert "lung: lesion #3" in text
    assert "region 16b" in text


_ORGANS = ["liver", "left lung", "right lung", "bone", "rib", "adrenal", "brain"]
_REGIONS = ["8", "8a", "12", "12p", "13", "16a1", "16a2", "16b1", "16b2", "porta hepatis"]
lesion_strategy = st.one_of(
    st.builds(Lesion, organ=st.sampled_from(_ORGANS), progressing=st.booleans()),
    st.builds(
        Lesion,
        organ=st.just("lymph node"),
        lymph_node_region=st.sampled_from(_REGIONS),
        progressing=st.booleans(),
    ),
)


@given(lesions=st.lists(lesion_strategy, max_size=12), data=st.data())
def test_count_invariant_under_order(lesions: list[Lesion], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(lesions))
    a = count_oligoprogressive(lesions)
    b = count_oligoprogressive(shuffled)
    assert (a.lesions, a.organ_systems, a.systems) == (b.lesions, b.organ_systems, b.systems)
    shape_a = sorted((c.system, c.region or "", len(c.indices)) for c in a.detail)
    shape_b = sorted((c.system, c.region or "", len(c.indices)) for c in b.detail)
    assert shape_a == shape_b


@given(lesions=st.lists(lesion_strategy, max_size=12))
def test_count_bounds(lesions: list[Lesion]) -> None:
    result = count_oligoprogressive(lesions)
    progressing = sum(lesion.progressing for lesion in lesions)
    assert result.organ_systems <= result.lesions <= progressing
    assert sum(len(c.indices) for c in result.detail) == progressing
    assert len(result.not_progressing) == len(lesions) - progressing
