"""Scheduled tumour-assessment days for a synthetic patient.

Protocol default (REFERENCE.md §1): CT/MRI every 8 weeks ± 7 days in year 1, every 12
weeks after. Each later segment continues from the last visit of the one before (weeks 8,
16, ..., 48, then 60, 72, ...). Days are counted from randomization (day 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class ScheduleSegment:
    from_week: float
    to_week: float | None
    every_weeks: float
    window_days: int


DEFAULT_SCHEDULE = (
    ScheduleSegment(0, 52, 8, 7),
    ScheduleSegment(52, None, 12, 7),
)


def scheduled_weeks(horizon_weeks: float,
                    segments: Sequence[ScheduleSegment] = DEFAULT_SCHEDULE) -> list[float]:
    """Nominal visit weeks up to ``horizon_weeks``."""
    weeks: list[float] = []
    last = 0.0
    for seg in segments:
        end = horizon_weeks if seg.to_week is None else min(seg.to_week, horizon_weeks)
        w = last + seg.every_weeks
        while w <= end:
            weeks.append(w)
            last = w
            w += seg.every_weeks
    return weeks


def visit_days(
    rng: np.random.Generator,
    horizon_days: float,
    segments: Sequence[ScheduleSegment] = DEFAULT_SCHEDULE,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(nominal day, actual day) of each visit, actual = nominal ± window, uniformly."""
    weeks = scheduled_weeks(horizon_days / 7.0 + 1.0, segments)
    nominal = np.array([round(w * 7) for w in weeks], dtype=np.int64)
    window = np.array([_window(w, segments) for w in weeks], dtype=np.int64)
    jitter = rng.integers(-window, window + 1) if len(weeks) else np.zeros(0, dtype=np.int64)
    return nominal, nominal + jitter


def _window(week: float, segments: Sequence[ScheduleSegment]) -> int:
    for seg in segments:
        if seg.to_week is None or week <= seg.to_week:
            return seg.window_days
    return segments[-1].window_days
