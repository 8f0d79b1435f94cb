"""Interim status rules and the protocol design check."""

from __future__ import annotations

import pytest

from oligotrial.design.check import check_design
from oligotrial.design.monitoring import interim_status
from oligotrial.errors import InputError
from oligotrial.protocol import load_protocol


def test_bound_is_recomputed_at_the_information_reached() -> None:
    on_plan = interim_status(events=[59], z=-1.0, planned_events=[59, 118], hazard_ratio=0.55)
    late = interim_status(events=[70], z=-1.0, planned_events=[59, 118], hazard_ratio=0.55)
    assert on_plan.information == 0.5
    assert late.bound < on_plan.bound  # more information, more alpha spent, lower bound
    assert not late.crossed


def test_crossing_and_conditional_power_order() -> None:
    s = interim_status(events=[59], z=-3.2, planned_events=[59, 118], hazard_ratio=0.55)
    assert s.crossed and s.conditional_power_trend == 1.0
    weak = interim_status(events=[59], z=-0.5, planned_events=[59, 118], hazard_ratio=0.55)
    assert weak.conditional_power_trend < weak.conditional_power_design
    harmful = interim_status(events=[59], z=1.0, planned_events=[59, 118], hazard_ratio=0.55)
    assert harmful.conditional_power_trend < 1e-3
    assert harmful.observed_hr > 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"events": []}, "events"),
        ({"events": [60, 50]}, "events"),
        ({"planned_events": [118, 59]}, "planned_events"),
        ({"hazard_ratio": 0.0}, "hazard_ratio"),
        ({"z": float("nan")}, "z"),
    ],
)
def test_monitoring_bad_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "events": [59],
        "z": -1.0,
        "planned_events": [59, 118],
        "hazard_ratio": 0.55,
    }
    args.update(kwargs)
    with pytest.raises(InputError) as err:
        interim_status(**args)  # type: ignore[arg-type]
    assert err.value.field == field


def test_shipped_protocol_design_is_consistent() -> None:
    c = check_design(load_protocol().design)
    assert c.consistent
    assert c.required.events == pytest.approx(118.0, abs=0.01)
    assert c.required.subjects == pytest.approx(129.18, abs=0.01)
    assert c.follow_up_needed_with_planned_subjects is not None
    assert c.follow_up_needed_with_planned_subjects < 12


def test_too_few_subjects_or_events_is_reported() -> None:
    design = load_protocol().design
    few = check_design(design.model_copy(update={"planned_subjects": 120, "planned_events": 100}))
    assert not few.subjects_consistent and not few.events_consistent
    assert few.power_at_planned_events < 0.9
    assert any("TOO FEW" in m for m in few.messages)
    assert not few.consistent


def test_final_analysis_with_fewer_events_spends_all_remaining_alpha() -> None:
    from oligotrial.design.boundaries import group_sequential_design

    s = interim_status(
        events=[59, 110], z=-2.0, planned_events=[59, 118], hazard_ratio=0.55, final=True
    )
    ref = group_sequential_design("obrien-fleming", (59 / 110, 1.0), 0.05, 2, 0.9)
    assert s.information == 1.0 and s.remaining_bounds == ()
    assert s.bound == pytest.approx(ref.z[1], rel=1e-12)
    assert s.crossed
    not_final = interim_status(
        events=[59, 110], z=-2.0, planned_events=[59, 118], hazard_ratio=0.55
    )
    assert not_final.bound > s.bound and not_final.remaining_information == (1.0,)
