"""The projected date of full accrual: at the observed rate once enough patients are in,
at the protocol's planned rate before; worked by hand below."""

from __future__ import annotations

import datetime as dt

import pytest

from oligotrial.design.accrual_forecast import DAYS_PER_MONTH, forecast_accrual

TODAY = dt.date(2027, 1, 1)


def test_the_observed_rate_once_enough_patients_are_in() -> None:
    # 10 patients, one every 30 days, the first 300 days ago: 10 per 300 days; 122 to go
    # take 122 * 300 / 10 = 3660 days
    on = [TODAY - dt.timedelta(days=300 - 30 * i) for i in range(10)]
    f = forecast_accrual(on, TODAY, 132, 24)
    assert f.source == "observed"
    assert f.rate == pytest.approx(10 / (300 / DAYS_PER_MONTH))  # 1.01 a month
    assert f.projected == dt.date(2037, 1, 8)
    assert not f.complete


def test_the_planned_rate_with_too_few_patients_or_too_short_a_time() -> None:
    plan = 132 / 24  # 5.5 a month
    few = forecast_accrual([TODAY - dt.timedelta(days=100)] * 4, TODAY, 132, 24)
    assert (few.source, few.rate) == ("planned", plan)
    assert few.projected == dt.date(2028, 12, 10)  # 128 / 5.5 months = 708.4 days
    fresh = forecast_accrual([TODAY - dt.timedelta(days=10)] * 8, TODAY, 132, 24)
    assert fresh.source == "planned"
    none = forecast_accrual([], TODAY, 132, 24)
    assert none.source == "planned" and none.randomized == 0
    assert none.projected == TODAY + dt.timedelta(days=731)  # 24 months of 30.4375 days


def test_complete_accrual_has_no_projected_date() -> None:
    f = forecast_accrual([TODAY - dt.timedelta(days=400)] * 6, TODAY, 6, 24)
    assert f.complete and f.projected is None


def test_a_design_without_subjects_or_months_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        forecast_accrual([], TODAY, 0, 24)
