"""Due dates of tumour assessments from the randomization date and the protocol's rules.

Week 0 is the randomization date; the weeks come from ``oligotrial.protocol.schedule``
(REFERENCE.md §1: every 8 weeks ± 7 days in year 1, every 12 weeks after), each with a
± ``window_days`` window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import takewhile

from oligotrial.edc.trial_config import AssessmentRule
from oligotrial.protocol.schedule import scheduled_assessments


@dataclass(frozen=True)
class DueAssessment:
    number: int
    week: int
    due: dt.date
    window_days: int


def assessment_due_dates(
    randomized_on: dt.date, rules: Sequence[AssessmentRule], horizon_weeks: int
) -> tuple[DueAssessment, ...]:
    """Every assessment due up to ``horizon_weeks`` after randomization."""
    return tuple(
        DueAssessment(
            visit.number,
            int(visit.week),
            randomized_on + dt.timedelta(days=visit.day),
            visit.window_days,
        )
        for visit in takewhile(lambda v: v.week <= horizon_weeks, scheduled_assessments(rules))
    )


def window_closed(kind: str, due: dt.date, window_days: int, today: dt.date) -> bool:
    """Whether a scheduled visit's window has passed by ``today`` (due + window; the
    baseline visit's window ends on its due date, the randomization day)."""
    end = due if kind == "baseline" else due + dt.timedelta(days=window_days)
    return end < today
