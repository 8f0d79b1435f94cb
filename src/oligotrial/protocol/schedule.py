"""The tumour-assessment schedule: which weeks after randomization a scan is due.

REFERENCE.md §1: CT/MRI every 8 weeks ± 7 days in year 1, every 12 weeks after. Each
period of the protocol's schedule continues from the last visit of the period before, so
the default gives weeks 8, 16, …, 48, then 60, 72, … (no 16-week gap at the change of
rhythm). Week 0 is the randomization date. This is the one place the rule lives; the data
capture, the endpoint derivation (missed-visit rule) and the synthetic trials all use it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol


class PeriodLike(Protocol):
    """A schedule period as the protocol file gives it."""

    @property
    def from_week(self) -> int | float: ...
    @property
    def to_week(self) -> int | float | None: ...
    @property
    def every_weeks(self) -> int | float: ...
    @property
    def window_days(self) -> int: ...


@dataclass(frozen=True)
class ScheduledAssessment:
    """The ``number``-th scheduled assessment, due ``week`` weeks after randomization."""

    number: int
    week: int | float
    window_days: int

    @property
    def day(self) -> int:
        """Target day after randomization (day 0)."""
        return round(self.week * 7)


def scheduled_assessments(periods: Sequence[PeriodLike]) -> Iterator[ScheduledAssessment]:
    """Every scheduled assessment in order; endless when the last period is open-ended."""
    number = 0
    last: int | float | None = None
    for period in periods:
        week = period.from_week if last is None else last
        while True:
            week = week + period.every_weeks
            if period.to_week is not None and week > period.to_week:
                break
            number += 1
            last = week
            yield ScheduledAssessment(number, week, period.window_days)
