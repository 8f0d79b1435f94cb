"""The batched log-rank agrees with the single-data-set test on every row."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.errors import InputError
from oligotrial.stats import logrank_batched, logrank_test


def _assert_row_matches(
    time, event, group, valid, strata, result, row, rho: float = 0.0, gamma: float = 0.0
) -> None:
    m = valid[row]
    single = logrank_test(
        time[row][m],
        event[row][m],
        group[row][m],
        strata=None if strata is None else strata[row][m],
        rho=rho,
        gamma=gamma,
    )
    np.testing.assert_allclose(result.observed[row], single.observed, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.expected[row], single.expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.variance[row], single.variance[1, 1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.chisq[row], single.chisq, rtol=1e-10, atol=1e-12)
    assert single.z is not None
    np.testing.assert_allclose(result.z[row], single.z, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("stratified", [False, True])
def test_rows_match_single_test(stratified: bool) -> None:
    rng = np.random.default_rng(20260101)
    rows, n = 60, 132
    time = np.round(rng.exponential(8.0, (rows, n)), 0)  # heavy ties
    event = rng.random((rows, n)) < 0.7
    group = rng.integers(0, 2, (rows, n))
    valid = rng.random((rows, n)) < 0.85
    strata = rng.integers(0, 3, (rows, n)) if stratified else None
    result = logrank_batched(time, event, group, valid=valid, strata=strata)
    for row in range(rows):
        _assert_row_matches(time, event, group, valid, strata, result, row)


@pytest.mark.parametrize(("rho", "gamma"), [(1.0, 0.0), (0.0, 1.0), (0.5, 2.0)])
@pytest.mark.parametrize("stratified", [False, True])
def test_weighted_rows_match_single_test(rho: float, gamma: float, stratified: bool) -> None:
    rng = np.random.default_rng(99)
    rows, n = 40, 80
    time = np.round(rng.exponential(8.0, (rows, n)), 0)
    event = rng.random((rows, n)) < 0.7
    group = rng.integers(0, 2, (rows, n))
    valid = rng.random((rows, n)) < 0.85
    strata = rng.integers(0, 3, (rows, n)) if stratified else None
    result = logrank_batched(time, event, group, valid=valid, strata=strata, rho=rho, gamma=gamma)
    for row in range(rows):
        _assert_row_matches(time, event, group, valid, strata, result, row, rho, gamma)


def test_z_sign_group1_better() -> None:
    time = np.array([[1.0, 2, 3, 4, 10, 11, 12, 13]])
    event = np.ones_like(time, dtype=bool)
    group = np.array([[0, 0, 0, 0, 1, 1, 1, 1]])
    result = logrank_batched(time, event, group)
    assert result.z[0] < 0
    assert result.observed[0, 1] < result.expected[0, 1]


def test_nearly_equal_times_are_tied() -> None:
    base = np.array([1.1 + 2.2, 3.3, 5.0, 6.0])  # first two differ by one ulp
    time = base[None, :]
    event = np.array([[1, 1, 1, 0]])
    group = np.array([[0, 1, 0, 1]])
    result = logrank_batched(time, event, group)
    folded = logrank_batched(np.array([[3.3, 3.3, 5.0, 6.0]]), event, group)
    np.testing.assert_allclose(result.variance, folded.variance, rtol=1e-15)


def test_no_events_gives_zero_statistic() -> None:
    time = np.ones((2, 5))
    result = logrank_batched(time, np.zeros((2, 5)), np.array([[0, 1, 0, 1, 0]] * 2))
    assert np.all(result.chisq == 0)
    assert np.all(result.z == 0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"time": np.array([[1.0, np.nan]])}, "time"),
        ({"time": np.array([[1.0, -1.0]])}, "time"),
        ({"event": np.array([[1, 2]])}, "event"),
        ({"group": np.array([[0, 2]])}, "group"),
        ({"valid": np.array([[1, 1]])}, "valid"),
        ({"rho": -0.5}, "rho"),
        ({"gamma": np.nan}, "gamma"),
    ],
)
def test_bad_input_names_argument(kwargs: dict[str, np.ndarray], field: str) -> None:
    args = {
        "time": np.array([[1.0, 2.0]]),
        "event": np.array([[1, 1]]),
        "group": np.array([[0, 1]]),
    }
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        logrank_batched(**args)
    assert info.value.field == field


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(4, 30),
    rows=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
    censor_rate=st.sampled_from([0.0, 0.3, 1.0]),
)
def test_property_batched_equals_single(n: int, rows: int, seed: int, censor_rate: float) -> None:
    rng = np.random.default_rng(seed)
    time = rng.integers(0, 6, (rows, n)).astype(float)  # ties between events and censorings
    event = rng.random((rows, n)) >= censor_rate
    group = np.tile(np.arange(n) % 2, (rows, 1))
    valid = np.ones((rows, n), dtype=bool)
    result = logrank_batched(time, event, group)
    for row in range(rows):
        if result.variance[row] == 0.0:
            assert result.chisq[row] == 0.0
            with pytest.raises(InputError):
                logrank_test(time[row], event[row], group[row])
            continue
        single = logrank_test(time[row], event[row], group[row])
        np.testing.assert_allclose(result.expected[row], single.expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(
            result.variance[row], single.variance[1, 1], rtol=1e-12, atol=1e-12
        )
        if single.variance[1, 1] > 0:
            _assert_row_matches(time, event, group, valid, None, result, row)


def test_near_ties_folded_on_pooled_row_before_strata() -> None:
    # 1.1 + 2.2 and 3.3 differ by one ulp; they fall in different strata
    time = np.array([[1.1 + 2.2, 3.3, 1.0, 2.0, 5.0, 6.0, 3.3, 4.0]])
    event = np.array([[1, 1, 1, 0, 1, 1, 0, 1]])
    group = np.array([[0, 1, 1, 0, 1, 0, 0, 1]])
    strata = np.array([[0, 1, 0, 1, 0, 1, 0, 1]])
    result = logrank_batched(time, event, group, strata=strata)
    valid = np.ones_like(time, dtype=bool)
    _assert_row_matches(time, event, group, valid, strata, result, 0)


def test_times_of_invalid_subjects_are_not_checked() -> None:
    time = np.array([[1.0, 2.0, 3.0, -5.0, np.nan]])  # last two not enrolled yet
    event = np.array([[1, 1, 0, 1, 0]])
    group = np.array([[0, 1, 0, 1, 1]])
    valid = np.array([[True, True, True, False, False]])
    result = logrank_batched(time, event, group, valid=valid)
    single = logrank_test(time[0, :3], event[0, :3], group[0, :3])
    np.testing.assert_allclose(result.variance[0], single.variance[1, 1], rtol=1e-15)
    with pytest.raises(InputError) as info:
        logrank_batched(time, event, group, valid=np.ones_like(valid))
    assert info.value.field == "time"


@settings(max_examples=40, deadline=None)
@given(n=st.integers(4, 20), seed=st.integers(0, 2**32 - 1))
def test_property_single_subject_strata(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    time = rng.integers(0, 5, (1, n)).astype(float)
    event = rng.random((1, n)) < 0.7
    group = (np.arange(n) % 2)[None, :]
    strata = np.where(np.arange(n) < 2, np.arange(n) + 10, 0)[None, :]  # two lone subjects
    result = logrank_batched(time, event, group, strata=strata)
    if result.variance[0] == 0.0:  # no information: batched says 0, the single test refuses
        assert result.chisq[0] == 0.0
        with pytest.raises(InputError):
            logrank_test(time[0], event[0], group[0], strata=strata[0])
        return
    single = logrank_test(time[0], event[0], group[0], strata=strata[0])
    np.testing.assert_allclose(result.observed[0], single.observed, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.expected[0], single.expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.variance[0], single.variance[1, 1], rtol=1e-12, atol=1e-12)


def test_row_without_valid_subjects() -> None:
    time = np.ones((2, 4))
    event = np.ones((2, 4), dtype=bool)
    group = np.array([[0, 1, 0, 1]] * 2)
    valid = np.array([[False] * 4, [True] * 4])
    result = logrank_batched(time, event, group, valid=valid)
    assert result.chisq[0] == 0.0
    np.testing.assert_array_equal(result.observed[0], [0.0, 0.0])
