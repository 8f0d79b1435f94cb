"""RMST and binomial intervals: identities and bad input (values against R in tests/reference)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from oligotrial.errors import InputError
from oligotrial.stats import clopper_pearson, miettinen_nurminen, rmst


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40), frac=st.floats(0.05, 1.0))
def test_rmst_without_censoring_is_mean_of_truncated_times(seed: int, n: int, frac: float) -> None:
    rng = np.random.default_rng(seed)
    time = rng.integers(1, 20, n).astype(float)
    tau = frac * time.max()
    result = rmst(time, np.ones(n), tau)
    np.testing.assert_allclose(result.groups[0].rmst, np.minimum(time, tau).mean(), rtol=1e-12)
    assert result.difference is None


def test_rmst_difference_is_second_minus_first() -> None:
    time = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    event = np.array([1, 1, 1, 0, 1, 1, 1, 0])
    group = np.array(["B", "A", "B", "A", "B", "A", "B", "A"])
    result = rmst(time, event, 6.0, group=group)
    a, b = result.groups
    assert (a.group, b.group) == ("A", "B")
    assert result.difference is not None
    assert result.difference.estimate == pytest.approx(b.rmst - a.rmst)
    assert result.difference.lower < result.difference.estimate < result.difference.upper


@pytest.mark.parametrize(
    ("tau", "group", "field"),
    [(0.0, None, "tau"), (np.nan, None, "tau"), (9.0, None, "tau"), (4.5, [0, 0, 0, 1, 1], "tau")],
)
def test_rmst_bad_tau(tau: float, group, field: str) -> None:
    with pytest.raises(InputError) as info:
        rmst([1.0, 2, 3, 4, 5], [1, 1, 0, 1, 0], tau, group=group)
    assert info.value.field == field


def test_clopper_pearson_limits_are_beta_quantiles() -> None:
    ci = clopper_pearson(7, 34)
    assert sps.binom.sf(6, 34, ci.lower) == pytest.approx(0.025, rel=1e-9)
    assert sps.binom.cdf(7, 34, ci.upper) == pytest.approx(0.025, rel=1e-9)
    assert clopper_pearson(0, 5).lower == 0.0
    assert clopper_pearson(5, 5).upper == 1.0


@settings(max_examples=60, deadline=None)
@given(n1=st.integers(1, 60), n2=st.integers(1, 60), a=st.floats(0, 1), b=st.floats(0, 1))
def test_mn_interval_contains_estimate_and_mirrors(n1: int, n2: int, a: float, b: float) -> None:
    x1, x2 = round(a * n1), round(b * n2)
    ci = miettinen_nurminen(x1, n1, x2, n2)
    assert -1.0 <= ci.lower <= ci.estimate <= ci.upper <= 1.0
    mirror = miettinen_nurminen(x2, n2, x1, n1)
    np.testing.assert_allclose([mirror.lower, mirror.upper], [-ci.upper, -ci.lower], atol=1e-9)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: clopper_pearson(5, 4), "x"),
        (lambda: clopper_pearson(1.5, 4), "x"),
        (lambda: clopper_pearson(1, 0), "n"),
        (lambda: clopper_pearson(1, 4, conf_level=0.0), "conf_level"),
        (lambda: miettinen_nurminen(1, 4, -1, 4), "x2"),
        (lambda: miettinen_nurminen(1, 0, 1, 4), "n1"),
    ],
)
def test_binomial_bad_input(call, field: str) -> None:
    with pytest.raises(InputError) as info:
        call()
    assert info.value.field == field
