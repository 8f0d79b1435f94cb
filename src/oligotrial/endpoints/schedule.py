"""Scheduled tumour assessments and the missed-assessment rule for PFS.

Visits follow the protocol's blocks: each block continues from the previous block's last
visit (q8w in year 1 gives weeks 8, 16, …, 48; q12w after gives 60, 72, …). A scheduled
visit is missed for the gap rule when its whole window (± window days) lies after the last
adequate assessment and before the event (FDA guidance on cancer trial endpoints, 2018:
event after two or more missed visits is censored at the last adequate assessment).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from oligotrial.endpoints.settings import ScheduleBlock


def scheduled_days(schedule: Sequence[ScheduleBlock], until_day: int) -> Iterator[tuple[int, int]]:
    """(target day after randomization, window days) of every visit up to ``until_day``."""
    week = 0
    for block in schedule:
        week = max(week, block.from_week) if week == 0 else week
        while True:
            nxt = week + block.every_weeks
            if block.to_week is not None and nxt > block.to_week:
                break
            if nxt * 7 - block.window_days > until_day:
                return
            week = nxt
            yield week * 7, block.window_days


def missed_between(schedule: Sequence[ScheduleBlock], last_day: int, event_day: int) -> int:
    """How many scheduled visits fell wholly after ``last_day`` and before ``event_day``."""
    return sum(
        1
        for day, window in scheduled_days(schedule, event_day)
        if day - window > last_day and day + window < event_day
    )
