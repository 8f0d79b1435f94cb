"""The assessment schedule and endpoint settings read from the protocol sections."""

from __future__ import annotations

import pytest

from oligotrial.endpoints import EndpointSettings, ScheduleBlock
from oligotrial.endpoints.schedule import missed_between, scheduled_days
from oligotrial.errors import ProtocolError

PROTOCOL_ENDPOINTS = {
    "pfs": {
        "censor_at_new_anticancer_therapy": True,
        "missed_assessments_for_gap": 2,
        "death_before_first_assessment_is_event": True,
    },
    "censoring_reasons": {
        1: "No baseline or no post-baseline adequate assessment",
        2: "No progression or death: last adequate assessment",
        3: "New anticancer therapy before progression",
        4: "Progression or death after two or more missed assessments",
        5: "Lost to follow-up or withdrew: last adequate assessment",
    },
    "os": {"censor_at": "last_known_alive"},
}
PROTOCOL_SCHEDULE = {
    "assessments": [
        {"from_week": 0, "to_week": 52, "every_weeks": 8, "window_days": 7},
        {"from_week": 52, "to_week": None, "every_weeks": 12, "window_days": 7},
    ],
    "ctdna": ["baseline", "first-follow-up-after-rt", "progression"],
}


def test_q8w_in_year_one_then_q12w() -> None:
    weeks = [d // 7 for d, _ in scheduled_days(EndpointSettings().schedule, 7 * 100)]
    assert weeks == [8, 16, 24, 32, 40, 48, 60, 72, 84, 96]


def test_missed_count_across_the_change_of_interval() -> None:
    s = EndpointSettings().schedule
    # last adequate at week 40; event at week 72 + 8 days: weeks 48, 60 and 72 wholly missed
    assert missed_between(s, 40 * 7, 72 * 7 + 8) == 3
    assert missed_between(s, 40 * 7, 60 * 7) == 1


def test_defaults_equal_the_protocol_file() -> None:
    assert (
        EndpointSettings.from_protocol(PROTOCOL_ENDPOINTS, PROTOCOL_SCHEDULE) == EndpointSettings()
    )


def test_schedule_read_from_protocol() -> None:
    weekly = {
        "assessments": [{"from_week": 0, "to_week": None, "every_weeks": 6, "window_days": 3}]
    }
    s = EndpointSettings.from_protocol(PROTOCOL_ENDPOINTS, weekly)
    assert s.schedule == (ScheduleBlock(0, None, 6, 3),)


def test_sensitivity_analysis_is_one_flag() -> None:
    section = {**PROTOCOL_ENDPOINTS, "pfs": {"censor_at_new_anticancer_therapy": False}}
    s = EndpointSettings.from_protocol(section)
    assert not s.censor_at_new_anticancer_therapy
    assert s.missed_assessments_for_gap == 2


@pytest.mark.parametrize(
    ("section", "schedule", "field"),
    [
        ({"pfs": {"censor_at_progression": True}}, None, "endpoints.pfs.censor_at_progression"),
        ({"dfs": {}}, None, "endpoints.dfs"),
        (
            {"pfs": {"missed_assessments_for_gap": -1}},
            None,
            "endpoints.pfs.missed_assessments_for_gap",
        ),
        ({"censoring_reasons": {1: "a"}}, None, "endpoints.censoring_reasons"),
        ({"os": {"censor_at": "randomization"}}, None, "endpoints.os.censor_at"),
        ({}, {"assessments": [{"from_week": 0}]}, "schedule.assessments[0]"),
        (
            {},
            {
                "assessments": [
                    {"from_week": 0, "to_week": None, "every_weeks": 0, "window_days": 7}
                ]
            },
            "schedule.assessments[0]",
        ),
    ],
)
def test_bad_sections_name_the_key(section: dict, schedule: dict | None, field: str) -> None:
    with pytest.raises(ProtocolError) as info:
        EndpointSettings.from_protocol(section, schedule)
    assert info.value.field == field
