"""mRECIST for HCC: viable diameters, no-enhancement CR, porta hepatis nodes, new lesions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oligotrial.errors import InputError
from oligotrial.response import ResponseSettings, evaluate


def _liver(b: SimpleNamespace, lesion_id: str, longest: float, viable: float) -> dict:
    return b.target(lesion_id, longest, intrahepatic=True, viable_mm=viable)


def test_intrahepatic_targets_use_viable_diameter(b: SimpleNamespace) -> None:
    base = [_liver(b, "T1", 50, 40), b.target("T2", 20, organ="lung")]
    rec = b.record(base, [b.visit(56, {"T1": {"mm": 50, "viable_mm": 15}, "T2": 20})])
    m = evaluate(rec, criteria="mrecist")
    r = evaluate(rec, criteria="recist1.1")
    assert m.baseline_sum_mm == 60 and m.time_points[0].sum_mm == 35
    assert m.time_points[0].overall == "PR"  # 35 ≤ 0.7 × 60
    assert r.baseline_sum_mm == 70 and r.time_points[0].overall == "SD"  # 70 vs 70


def test_cr_is_no_enhancement_in_any_target(b: SimpleNamespace) -> None:
    rec = b.record([_liver(b, "T1", 40, 30)], [b.visit(56, {"T1": {"mm": 25, "viable_mm": 0}})])
    tp = evaluate(rec, criteria="mrecist").time_points[0]
    assert tp.overall == "CR"
    assert "no enhancing tumour" in tp.reason
    assert evaluate(rec, criteria="recist1.1").time_points[0].overall == "PR"


def test_pd_is_20_percent_over_nadir_without_5_mm_rule_by_default(b: SimpleNamespace) -> None:
    rec = b.record([_liver(b, "T1", 40, 15)], [b.visit(56, {"T1": {"mm": 40, "viable_mm": 18}})])
    assert evaluate(rec, criteria="mrecist").time_points[0].overall == "PD"  # +20%, +3 mm
    with_rule = ResponseSettings(mrecist_absolute_5mm_rule=True)
    tp = evaluate(rec, with_rule, criteria="mrecist").time_points[0]
    assert tp.overall == "SD"


def test_porta_hepatis_node_needs_20_mm(b: SimpleNamespace) -> None:
    node = [b.target("N1", 18, organ="lymph node", nodal=True, porta_hepatis=True)]
    evaluate(b.record(node, []), criteria="recist1.1")
    with pytest.raises(InputError, match="short axis 18 mm < 20 mm"):
        evaluate(b.record(node, []), criteria="mrecist")


def test_portal_vein_thrombosis_is_never_a_target(b: SimpleNamespace) -> None:
    base = [b.target("T1", 25, portal_vein_thrombosis=True, intrahepatic=True, viable_mm=20)]
    with pytest.raises(InputError, match="portal vein thrombosis"):
        evaluate(b.record(base, []), criteria="mrecist")


def test_intrahepatic_target_needs_viable_part(b: SimpleNamespace) -> None:
    base = [b.target("T1", 25, intrahepatic=True, viable_mm=8)]
    with pytest.raises(InputError, match="viable diameter 8 mm < 10 mm"):
        evaluate(b.record(base, []), criteria="mrecist")


def test_follow_up_without_viable_diameter_is_an_error(b: SimpleNamespace) -> None:
    rec = b.record([_liver(b, "T1", 40, 30)], [b.visit(56, {"T1": 30})])
    with pytest.raises(InputError, match=r"lesion T1: mRECIST needs viable_mm"):
        evaluate(rec, criteria="mrecist")


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ({"intrahepatic": True, "longest_mm": 12, "arterial_enhancement_washout": True}, "PD"),
        ({"intrahepatic": True, "longest_mm": 9, "arterial_enhancement_washout": True}, "PR"),
        ({"intrahepatic": True, "longest_mm": 15, "arterial_enhancement_washout": False}, "PR"),
        ({"effusion": True}, "PR"),
        ({"effusion": True, "cytology_confirmed": True}, "PD"),
    ],
)
def test_new_lesion_qualification(b: SimpleNamespace, new: dict, expected: str) -> None:
    lesion = {"id": "N1", "status": "unequivocal", **new}
    rec = b.record(
        [_liver(b, "T1", 40, 30)], [b.visit(56, {"T1": {"mm": 30, "viable_mm": 15}}, new=[lesion])]
    )
    assert evaluate(rec, criteria="mrecist").time_points[0].overall == expected


def test_settings_from_protocol_section() -> None:
    section = {
        "criteria": "mrecist",
        "confirmation_required": True,
        "confirmation_min_days": 28,
        "sd_min_days": 42,
        "mrecist_absolute_5mm_rule": True,
        "irradiated_lesion_measurable_if_progressed": True,
    }
    s = ResponseSettings.from_protocol(section)
    assert (s.criteria, s.confirmation_required, s.mrecist_absolute_5mm_rule) == (
        "mrecist",
        True,
        True,
    )
    assert ResponseSettings.from_protocol(None) == ResponseSettings()


@pytest.mark.parametrize(
    ("section", "field"),
    [
        ({"criteria": "who"}, "response.criteria"),
        ({"sd_min": 42}, "response.sd_min"),
        ({"sd_min_days": -1}, "response.sd_min_days"),
        ({"confirmation_required": "yes"}, "response.confirmation_required"),
    ],
)
def test_bad_protocol_section(section: dict, field: str) -> None:
    from oligotrial.errors import ProtocolError

    with pytest.raises(ProtocolError) as info:
        ResponseSettings.from_protocol(section)
    assert info.value.field == field
