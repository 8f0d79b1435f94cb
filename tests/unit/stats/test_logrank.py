"""Log-rank: weights, strata, invariances and bad input (values against R in tests/reference)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.errors import InputError
from oligotrial.stats import kaplan_meier, logrank_test


def _direct_fh(time, event, group, rho: float, gamma: float) -> tuple[float, float, float]:
    """Two-group Fleming-Harrington statistic by an explicit loop over event times."""
    pooled = kaplan_meier(time, event)
    s_left = 1.0
    o1 = e1 = v = 0.0
    for t, s in zip(pooled.time, pooled.survival, strict=True):
        at_risk = time >= t
        n, n1 = at_risk.sum(), (at_risk & (group == 1)).sum()
        dead = (time == t) & (event == 1)
        d, d1 = dead.sum(), (dead & (group == 1)).sum()
        w = s_left**rho * (1 - s_left) ** gamma
        if d > 0:
            o1 += w * d1
            e1 += w * d * n1 / n
            if n > 1:
                v += w * w * d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
        s_left = s
    return o1, e1, v


@pytest.mark.parametrize(("rho", "gamma"), [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)])
def test_fleming_harrington_weights_match_direct_loop(rho: float, gamma: float) -> None:
    rng = np.random.default_rng(11)
    time = np.round(rng.exponential(6.0, 80))
    event = (rng.random(80) < 0.7).astype(int)
    group = rng.integers(0, 2, 80)
    result = logrank_test(time, event, group, rho=rho, gamma=gamma)
    o1, e1, v = _direct_fh(time, event, group, rho, gamma)
    np.testing.assert_allclose(result.observed[1], o1, rtol=1e-12)
    np.testing.assert_allclose(result.expected[1], e1, rtol=1e-12)
    np.testing.assert_allclose(result.variance[1, 1], v, rtol=1e-12)
    np.testing.assert_allclose(result.chisq, (o1 - e1) ** 2 / v, rtol=1e-10)
    assert result.z is not None
    np.testing.assert_allclose(result.z**2, result.chisq, rtol=1e-10)


def test_single_subject_strata_are_allowed() -> None:
    time = [1.0, 2, 3, 4, 5, 6, 7]
    event = [1, 1, 0, 1, 1, 1, 1]
    group = [0, 1, 0, 1, 0, 1, 0]
    strata = ["a", "a", "a", "a", "a", "a", "lonely"]
    result = logrank_test(time, event, group, strata=strata)
    alone = logrank_test(time[:6], event[:6], group[:6])
    # the lone subject is its own risk set: O = E = 1 for its group, no variance
    np.testing.assert_allclose(result.observed, np.add(alone.observed, [1, 0]))
    np.testing.assert_allclose(result.expected, np.add(alone.expected, [1, 0]))
    np.testing.assert_allclose(result.variance, alone.variance)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_invariant_to_row_order_and_labels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 30
    time = rng.integers(1, 6, n).astype(float)
    event = np.ones(n, dtype=int)
    group = np.arange(n) % 3
    perm = rng.permutation(n)
    base = logrank_test(time, event, group)
    shuffled = logrank_test(time[perm], event[perm], np.array(["x", "y", "z"])[group[perm]])
    np.testing.assert_allclose(shuffled.chisq, base.chisq, rtol=1e-10)
    assert base.df == 2
    assert shuffled.groups == ("x", "y", "z")


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        (([1.0, np.nan], [1, 1], [0, 1]), {}, "time"),
        (([1.0, -1.0], [1, 1], [0, 1]), {}, "time"),
        (([1.0, 2.0], [1, 3], [0, 1]), {}, "event"),
        (([1.0, 2.0], [1, 1], [0, 0]), {}, "group"),
        (([1.0, 2.0], [1, 1], [0, 1, 1]), {}, "group"),
        (([1.0, 2.0], [0, 0], [0, 1]), {}, "event"),
        (([1.0, 2.0], [1, 1], [0, 1]), {"rho": -1.0}, "rho"),
        (([1.0, 2.0], [1, 1], [0, 1]), {"strata": [np.nan, 1.0]}, "strata"),
    ],
)
def test_bad_input_names_argument(args, kwargs, field: str) -> None:
    with pytest.raises(InputError) as info:
        logrank_test(*args, **kwargs)
    assert info.value.field == field
