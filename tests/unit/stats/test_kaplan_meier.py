"""Kaplan-Meier: edge cases, grouping, bad input (values against R are in tests/reference)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.errors import InputError
from oligotrial.stats import kaplan_meier, kaplan_meier_by_group


def test_all_censored_curve_stays_at_one() -> None:
    fit = kaplan_meier([1.0, 2.0, 2.0, 5.0], [0, 0, 0, 0])
    np.testing.assert_array_equal(fit.survival, 1.0)
    np.testing.assert_array_equal(fit.n_censor, [1, 2, 1])
    assert fit.median is None
    assert fit.median_ci == (None, None)


def test_all_events_reaches_zero_and_r_na_limits() -> None:
    fit = kaplan_meier([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1])
    np.testing.assert_allclose(fit.survival, [0.75, 0.5, 0.25, 0.0])
    assert fit.median == 2.5  # S = 0.5 on [2, 3): midpoint
    assert np.isinf(fit.log_std_err[-1])
    assert np.isnan(fit.lower[-1]) and np.isnan(fit.upper[-1])  # R reports NA


def test_single_subject() -> None:
    fit = kaplan_meier([3.0], [1])
    np.testing.assert_array_equal(fit.survival, [0.0])
    assert fit.median == 3.0


def test_log_upper_limit_clipped_at_one() -> None:
    fit = kaplan_meier(np.arange(1.0, 11.0), np.ones(10))
    assert fit.upper[0] == 1.0
    assert fit.lower[0] < fit.survival[0]


def test_nearly_equal_times_are_one_time() -> None:
    fit = kaplan_meier([1.1 + 2.2, 3.3, 4.0], [1, 1, 0])
    assert fit.time.shape == (2,)
    assert fit.n_event[0] == 2


def test_survival_at_is_right_continuous() -> None:
    fit = kaplan_meier([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1])
    np.testing.assert_allclose(fit.survival_at([0.5, 1.0, 1.5, 10.0]), [1.0, 0.75, 0.75, 0.0])


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 40))
def test_by_group_equals_subset_curves(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    time = rng.integers(0, 8, n).astype(float)
    event = rng.integers(0, 2, n)
    group = rng.choice(["a", "b", "c"], n)
    fits = kaplan_meier_by_group(time, event, group)
    assert list(fits) == sorted(set(group.tolist()))
    for label, fit in fits.items():
        alone = kaplan_meier(time[group == label], event[group == label])
        np.testing.assert_array_equal(fit.survival, alone.survival)
        np.testing.assert_array_equal(fit.n_risk, alone.n_risk)
        assert fit.n == int((group == label).sum())


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_without_censoring_survival_is_empirical(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    time = rng.integers(0, 10, n).astype(float)
    fit = kaplan_meier(time, np.ones(n))
    np.testing.assert_allclose(fit.survival, [(time > t).mean() for t in fit.time], atol=1e-14)


@pytest.mark.parametrize(
    ("time", "event", "kwargs", "field"),
    [
        ([1.0, np.nan], [1, 0], {}, "time"),
        ([1.0, -2.0], [1, 0], {}, "time"),
        ([], [], {}, "time"),
        ([1.0, 2.0], [1, 2], {}, "event"),
        ([1.0, 2.0], [1], {}, "event"),
        ([1.0, 2.0], [1, 0], {"conf_type": "logit"}, "conf_type"),
        ([1.0, 2.0], [1, 0], {"conf_level": 95}, "conf_level"),
    ],
)
def test_bad_input_names_argument(time, event, kwargs, field: str) -> None:
    with pytest.raises(InputError) as info:
        kaplan_meier(time, event, **kwargs)
    assert info.value.field == field


def test_bad_group_names_argument() -> None:
    with pytest.raises(InputError) as info:
        kaplan_meier_by_group([1.0, 2.0], [1, 0], [1.0, np.nan])
    assert info.value.field == "group"


def test_quantile_probability_checked() -> None:
    with pytest.raises(InputError) as info:
        kaplan_meier([1.0], [1]).quantile(1.5)
    assert info.value.field == "p"
