"""The compiled layout steps against the numpy expressions they replace."""

from __future__ import annotations

import numpy as np

from oligotrial.stats import cox_layout
from oligotrial.stats.cox import cox_ph
from oligotrial.stats.cox_data import argsort_times, centring


def columns(n: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return (
        rng.binomial(1, 0.5, n).astype(float),
        np.round(rng.normal(62.0, 9.0, n), 1),
        rng.normal(0.0, 1.0, n),
        rng.integers(-1, 2, n).astype(float),
    )


def test_scatter_by_day_is_a_stable_sort_moving_every_column() -> None:
    rng = np.random.default_rng(3)
    n = 5_000
    day = rng.integers(0, 400, n)
    time = day.astype(float)
    status = rng.binomial(1, 0.6, n).astype(np.int8)
    cols = columns(n, 4)
    order, ts, st, x = cox_layout.scatter_by_day(day, 399, time, status, cols)
    want = np.argsort(day, kind="stable")
    assert np.array_equal(order, want)
    assert np.array_equal(ts, time[want])
    assert np.array_equal(st, status[want])
    assert np.array_equal(x, np.column_stack(cols)[want])


def test_gather_rows_takes_rows_in_order() -> None:
    n = 3_000
    order = np.random.default_rng(5).permutation(n)
    status = np.random.default_rng(6).binomial(1, 0.5, n).astype(np.int8)
    cols = columns(n, 7)
    st, x = cox_layout.gather_rows(order, status, cols)
    assert np.array_equal(st, status[order])
    assert np.array_equal(x, np.column_stack(cols)[order])


def test_centre_and_scale_follows_the_centring_rule() -> None:
    x = np.column_stack(columns(10_000, 8))
    means, scales, xs = cox_layout.centre_and_scale(x)
    want_means, want_scales = centring(x)
    np.testing.assert_allclose(means, want_means, rtol=1e-13)
    np.testing.assert_allclose(scales, want_scales, rtol=1e-13)
    assert means[0] == means[3] == 0.0 and scales[0] == scales[3] == 1.0  # 0/1 and -1/0/1
    assert np.array_equal(xs, (x - means) * scales)


def test_read_only_and_strided_covariates_fit_as_copies() -> None:
    rng = np.random.default_rng(9)
    n = 300
    time = rng.integers(1, 60, n).astype(float)
    event = rng.binomial(1, 0.7, n)
    a, b = rng.normal(size=n), rng.normal(size=(n, 2))[:, 1]
    frozen = a.copy()
    frozen.setflags(write=False)
    base = cox_ph(time, event, {"a": a.copy(), "b": b.copy()})
    odd = cox_ph(time, event, {"a": frozen, "b": b})
    assert odd.coef == base.coef
    assert odd.se == base.se


def test_argsort_times_sorts_and_falls_back_when_low_bits_decide() -> None:
    rng = np.random.default_rng(10)
    cases = [
        rng.exponential(10.0, 20_000),
        np.round(rng.exponential(10.0, 20_000), 2),  # many ties
        1.0 + np.arange(5_000)[::-1] * 2.0**-50,  # distinct only in the lowest bits
        np.concatenate((base := rng.exponential(10.0, 3_000), base[:40] * (1 - 2.0**-45))),
        np.array([0.0, -0.0, 3.0, 0.0]),
        np.array([2.5]),
    ]
    for t in cases:
        order, ts = argsort_times(t)
        assert sorted(order.tolist()) == list(range(t.shape[0]))
        assert np.array_equal(ts, t[order])
        assert np.array_equal(ts, np.sort(t))
