"""The assessment schedule (REFERENCE.md §1: q8w ± 7 d in year 1, q12w after)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from oligotrial.protocol import load_protocol
from oligotrial.protocol.schedule import scheduled_assessments


@dataclass(frozen=True)
class Period:
    from_week: int
    to_week: int | None
    every_weeks: int
    window_days: int


def test_shipped_protocol_q8w_then_q12w_continuing_from_last_visit() -> None:
    visits = list(islice(scheduled_assessments(load_protocol().schedule.assessments), 9))
    assert [v.week for v in visits] == [8, 16, 24, 32, 40, 48, 60, 72, 84]
    assert [v.number for v in visits] == list(range(1, 10))
    assert visits[6].day == 420 and all(v.window_days == 7 for v in visits)


def test_closed_schedule_ends_and_windows_follow_their_period() -> None:
    periods = [Period(0, 12, 4, 3), Period(12, 20, 2, 1)]
    visits = list(scheduled_assessments(periods))
    assert [(v.week, v.window_days) for v in visits] == [
        (4, 3),
        (8, 3),
        (12, 3),
        (14, 1),
        (16, 1),
        (18, 1),
        (20, 1),
    ]


def test_first_period_may_start_later_than_randomization() -> None:
    visits = list(scheduled_assessments([Period(6, 18, 6, 0)]))
    assert [v.week for v in visits] == [12, 18]


def test_every_sample_time_point_is_named_in_english_and_chinese() -> None:
    """The samples pages show the time points by these labels, never as the codes."""
    protocol = load_protocol()
    report = protocol.report
    assert report is not None
    points = {*protocol.schedule.ctdna, *protocol.schedule.biopsy}
    chinese = report.translations["zh-hans"].labels
    assert {p: report.labels.get(p) for p in points} == {
        "baseline": "Baseline",
        "first-follow-up-after-rt": "First follow-up after radiotherapy",
        "progression": "Progression",
    }
    assert all(chinese.get(p) and chinese[p] != report.labels[p] for p in points)
