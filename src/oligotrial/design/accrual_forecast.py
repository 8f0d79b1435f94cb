"""When accrual will be complete: the date the planned number of patients is reached.

The rate is the observed one, patients randomized per month from the first randomization to
today, once it rests on enough data (at least :data:`MIN_PATIENTS` patients over at least
:data:`MIN_MONTHS` month); before that it is the protocol's planned rate,
``planned_subjects / accrual_months`` (uniform accrual, as the sample size assumes). The
remaining patients are projected at that constant rate. A month is 365.25 / 12 days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from oligotrial.endpoints.tte import DAYS_PER_MONTH

#: fewer randomized patients than this: the observed rate is not used
MIN_PATIENTS = 5
#: a shorter stretch since the first randomization than this (months): not used either
MIN_MONTHS = 1.0


@dataclass(frozen=True)
class AccrualForecast:
    """``rate`` in patients per month; ``source`` says which rate; ``projected`` is the date
    the ``planned`` patients are reached (None once reached: ``complete``)."""

    randomized: int
    planned: int
    rate: float
    source: Literal["observed", "planned"]
    projected: dt.date | None

    @property
    def complete(self) -> bool:
        return self.randomized >= self.planned


def forecast_accrual(
    randomized_on: Sequence[dt.date],
    today: dt.date,
    planned_subjects: int,
    accrual_months: float,
) -> AccrualForecast:
    """The rate and projected date of full accrual, from the randomization dates so far."""
    if planned_subjects <= 0 or not accrual_months > 0:
        raise ValueError("planned_subjects and accrual_months must be positive")
    n = len(randomized_on)
    months = (today - min(randomized_on)).days / DAYS_PER_MONTH if n else 0.0
    source: Literal["observed", "planned"] = "planned"
    rate = planned_subjects / accrual_months
    if n >= MIN_PATIENTS and months >= MIN_MONTHS:
        source, rate = "observed", n / months
    left = planned_subjects - n
    projected = None
    if left > 0:
        days = round(left / rate * DAYS_PER_MONTH, 6)  # whole days not lost to rounding
        projected = today + dt.timedelta(days=math.ceil(days))
    return AccrualForecast(n, planned_subjects, rate, source, projected)


__all__ = ["AccrualForecast", "forecast_accrual"]
