"""Due dates of tumour assessments from the randomization date and the protocol's rules.

Week 0 is the randomization date; an assessment falls every ``every_weeks`` within each
rule's range (the first at ``from_week + every_weeks``), each with a ± ``window_days`` window.
REFERENCE.md §1: every 8 weeks ± 7 days in year 1, every 12 weeks after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from oligotrial.edc.trial_config import AssessmentRule


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
    out: list[DueAssessment] = []
    for rule in rules:
        end = horizon_weeks if rule.to_week is None else min(rule.to_week, horizon_weeks)
        week = rule.from_week + rule.every_weeks
        while week <= end:
            if not out or week > out[-1].week:
                out.append(
                    DueAssessment(
                        len(out) + 1,
                        week,
                        randomized_on + dt.timedelta(weeks=week),
                        rule.window_days,
                    )
                )
            week += rule.every_weeks
    return tuple(out)
