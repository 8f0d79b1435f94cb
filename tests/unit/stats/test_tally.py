"""The tally behind Kaplan-Meier and log-rank: both ways of counting give the same counts,
and folding near ties on distinct times equals folding every row first (aeqSurv)."""

from __future__ import annotations

import numpy as np
import pytest

from oligotrial.stats import cox_ph, kaplan_meier, kaplan_meier_by_group, logrank_test
from oligotrial.stats._tally import _count_grid, _sort_and_count, counting_order, fold_tally, tally
from oligotrial.stats._ties import fold_ties
from oligotrial.stats._validate import as_labels


def brute_force(time: np.ndarray, event: np.ndarray, codes: np.ndarray, k: int) -> tuple:
    """Row-by-row counts after folding every row (the definition)."""
    folded = fold_ties(time)
    times = np.unique(folded)
    deaths = np.zeros((times.size, k))
    totals = np.zeros((times.size, k))
    for t, e, g in zip(folded, event, codes, strict=True):
        i = int(np.searchsorted(times, t))
        totals[i, g] += 1
        deaths[i, g] += e
    return times, deaths, totals


@pytest.mark.parametrize("seed", range(5))
def test_grid_and_sort_paths_agree_with_row_counts(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = 400, 3
    time = rng.integers(0, 60, n).astype(float)
    event = rng.random(n) < 0.6
    codes = rng.integers(0, k, n)
    want = brute_force(time, event, codes, k)
    by_grid = _count_grid(time.astype(np.intp), event, codes, k, int(time.max()))
    by_sort = _sort_and_count(time, event, codes, k)
    for got in (by_grid, by_sort, tally(time, event, codes, k)):
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a, b)


def test_near_ties_fold_to_the_chain_start_as_row_folding() -> None:
    rng = np.random.default_rng(7)
    base = rng.uniform(0.5, 20.0, 300)
    # chains of times closer than sqrt(eps) relative to the mean time, and zeros / -0.0
    time = np.concatenate((base, base + 1e-9, base + 2e-9, [0.0, -0.0, 0.0]))
    event = rng.random(time.size) < 0.5
    codes = rng.integers(0, 2, time.size)
    want = brute_force(time, event, codes, 2)
    got = tally(time, event, codes, 2)
    assert got[0].size == 301  # each chain is one time; 0.0 and -0.0 are one time
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


def test_fold_tally_leaves_well_separated_times_alone() -> None:
    times = np.array([1.0, 2.0, 3.0])
    counts = np.ones((3, 1))
    got = fold_tally(times, counts, counts)
    assert got[0] is times


def test_whole_and_fractional_times_give_the_same_curve_shape() -> None:
    """Days (grid path) and the same days / 7 (sort path) give identical counts and curves."""
    rng = np.random.default_rng(3)
    days = rng.integers(1, 900, 5000).astype(float)
    event = rng.random(5000) < 0.7
    a = kaplan_meier(days, event)
    b = kaplan_meier(days / 7.0, event)
    np.testing.assert_array_equal(a.n_risk, b.n_risk)
    np.testing.assert_array_equal(a.n_event, b.n_event)
    np.testing.assert_array_equal(a.survival, b.survival)
    np.testing.assert_array_equal(a.lower, b.lower)
    np.testing.assert_allclose(a.time / 7.0, b.time, rtol=1e-15)


def test_grouped_curves_and_logrank_on_both_paths() -> None:
    rng = np.random.default_rng(11)
    days = rng.integers(1, 400, 3000).astype(float)
    event = rng.random(3000) < 0.7
    group = rng.choice(["a", "b", "c"], 3000)
    curves_days = kaplan_meier_by_group(days, event, group)
    curves_frac = kaplan_meier_by_group(days + 0.5, event, group)
    for label in ("a", "b", "c"):
        np.testing.assert_array_equal(curves_days[label].n_risk, curves_frac[label].n_risk)
        np.testing.assert_array_equal(curves_days[label].survival, curves_frac[label].survival)
    lr_days = logrank_test(days, event, group)
    lr_frac = logrank_test(days + 0.5, event, group)
    assert lr_days.chisq == pytest.approx(lr_frac.chisq, rel=1e-13)
    np.testing.assert_array_equal(lr_days.observed, lr_frac.observed)


def test_strata_fold_near_ties_over_all_strata() -> None:
    """Near ties are judged against the mean of all distinct times, not per stratum (R).

    In stratum 1 alone (times near 1000) a gap of 1e-6 is a near tie (1e-9 relative), but
    against the pooled mean (about 10) it is not, so the two times stay distinct: the test
    equals the one where the second time is moved clearly away (same order, same ties).
    """
    rng = np.random.default_rng(5)
    small = rng.uniform(0.001, 0.01, 200)
    late = np.array([1000.0, 1000.0 + 1e-6, 1001.0, 1002.0, 1003.0, 1004.0])
    time = np.concatenate((small, late))
    event = np.concatenate((rng.random(200) < 0.7, [1, 1, 1, 0, 1, 1]))
    group = np.concatenate((rng.integers(0, 2, 200), [0, 1, 1, 0, 0, 1]))
    strata = np.concatenate((np.zeros(200), np.ones(6)))
    moved = time.copy()
    moved[201] = 1000.5
    got = logrank_test(time, event, group, strata=strata)
    want = logrank_test(moved, event, group, strata=strata)
    assert got.chisq == want.chisq
    np.testing.assert_array_equal(got.variance, want.variance)


def test_small_integer_labels_are_coded_as_numpy_unique() -> None:
    for values in (
        np.array([-100, 100, 5, 5], dtype=np.int8),
        np.array([3, 1, 3, 7], dtype=np.uint16),
        np.array([10**12, 5, 5]),
    ):
        levels, codes = as_labels(values, values.size, "group")
        want_levels, want_codes = np.unique(values, return_inverse=True)
        assert levels == tuple(want_levels.tolist())
        np.testing.assert_array_equal(codes, want_codes)


def test_counting_order_is_a_stable_sort() -> None:
    rng = np.random.default_rng(2)
    whole = rng.integers(0, 50, 2000)
    np.testing.assert_array_equal(
        counting_order(whole.astype(np.intp), 49), np.argsort(whole, kind="stable")
    )


def test_cox_on_whole_days_equals_cox_on_the_same_order_off_the_grid() -> None:
    """Whole-day times (counting order) and the same times + 0.5 (general sort) have the
    same order and ties, so the same partial likelihood and estimates."""
    rng = np.random.default_rng(9)
    n = 3000
    arm = rng.integers(0, 2, n).astype(float)
    age = rng.normal(60.0, 9.0, n)
    days = np.ceil(rng.exponential(300.0 * np.exp(0.5 * arm), n))
    event = rng.random(n) < 0.7
    on_grid = cox_ph(days, event, {"arm": arm, "age": age})
    off_grid = cox_ph(days + 0.5, event, {"arm": arm, "age": age})
    for name in ("arm", "age"):
        assert on_grid.coef[name] == pytest.approx(off_grid.coef[name], rel=1e-12)
        assert on_grid.se[name] == pytest.approx(off_grid.se[name], rel=1e-12)
    assert on_grid.loglik == pytest.approx(off_grid.loglik, rel=1e-13)
