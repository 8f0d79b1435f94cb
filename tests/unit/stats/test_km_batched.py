"""The batched Kaplan-Meier agrees exactly with the single-data-set curve on every row."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.errors import InputError
from oligotrial.stats import kaplan_meier, kaplan_meier_batched

TIMES = np.array([0.0, 1.5, 3.0, 10.0, 100.0])


def _nan(value: float | None) -> float:
    return np.nan if value is None else value


def _assert_row(time, event, valid, result, row: int, conf_type: str) -> None:
    fit = kaplan_meier(time[row][valid[row]], event[row][valid[row]], conf_type=conf_type)
    expected = [_nan(fit.median), *(_nan(v) for v in fit.median_ci)]
    got = [result.median[row], result.median_lower[row], result.median_upper[row]]
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(result.survival_at[row], fit.survival_at(TIMES))
    index = np.searchsorted(fit.time, TIMES, side="right") - 1
    se = np.where(index >= 0, fit.std_err[np.maximum(index, 0)], 0.0)
    np.testing.assert_allclose(result.std_err_at[row], se, rtol=1e-14)
    assert result.n_event[row] == event[row][valid[row]].sum()


@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
def test_rows_match_single_curve(conf_type: str) -> None:
    rng = np.random.default_rng(7)
    rows, n = 120, 50
    time = np.round(rng.exponential(5.0, (rows, n)))
    event = rng.random((rows, n)) < 0.6
    valid = rng.random((rows, n)) < 0.9
    result = kaplan_meier_batched(time, event, valid=valid, times=TIMES, conf_type=conf_type)
    for row in range(rows):
        _assert_row(time, event, valid, result, row, conf_type)


def test_flat_stretch_rules_in_batch() -> None:
    # S = 0.5 on [3, 5) then a drop: midpoint 4; S = 0.5 from 3 to the end: its start, 3
    time = np.array([[1.0, 2, 3, 4, 5, 6], [1.0, 2, 3, 4, 5, 6]])
    event = np.array([[1, 1, 1, 0, 1, 1], [1, 1, 1, 0, 0, 0]])
    result = kaplan_meier_batched(time, event)
    np.testing.assert_array_equal(result.median, [4.0, 3.0])


def test_band_limit_is_first_time_at_or_below_half_in_batch() -> None:
    # R's aml data (survival package): the log band rises again after 45; R's table says 45
    aml = np.array(
        [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
        dtype=float,
    )
    status = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1])
    result = kaplan_meier_batched(aml[None, :], status[None, :])
    got = [result.median[0], result.median_lower[0], result.median_upper[0]]
    np.testing.assert_array_equal(got, [27.0, 18.0, 45.0])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"time": np.array([[1.0, np.inf]])}, "time"),
        ({"event": np.array([[0.5, 1]])}, "event"),
        ({"valid": np.array([[1, 0]])}, "valid"),
        ({"conf_type": "logit"}, "conf_type"),
        ({"conf_level": 1.0}, "conf_level"),
        ({"times": [np.nan]}, "times"),
    ],
)
def test_bad_input_names_argument(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"time": np.array([[1.0, 2.0]]), "event": np.array([[1, 0]])}
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        kaplan_meier_batched(**args)  # type: ignore[arg-type]
    assert info.value.field == field


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 25),
    rows=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
    censor_rate=st.sampled_from([0.0, 0.5, 1.0]),
    conf_type=st.sampled_from(["log", "log-log", "plain"]),
)
def test_property_batched_equals_single(
    n: int, rows: int, seed: int, censor_rate: float, conf_type: str
) -> None:
    rng = np.random.default_rng(seed)
    time = rng.integers(0, 5, (rows, n)).astype(float)  # ties of events with censorings
    event = rng.random((rows, n)) >= censor_rate  # includes all-censored and all-event rows
    valid = np.ones((rows, n), dtype=bool)
    result = kaplan_meier_batched(time, event, times=TIMES, conf_type=conf_type)
    for row in range(rows):
        _assert_row(time, event, valid, result, row, conf_type)


def test_row_without_valid_subjects() -> None:
    time = np.ones((2, 3))
    event = np.ones((2, 3), dtype=bool)
    valid = np.array([[False] * 3, [True] * 3])
    result = kaplan_meier_batched(time, event, valid=valid, times=[0.5, 2.0])
    assert np.isnan(result.median[0])
    np.testing.assert_array_equal(result.survival_at[0], [1.0, 1.0])
    np.testing.assert_array_equal(result.survival_at[1], [1.0, 0.0])
    assert result.median[1] == 1.0
