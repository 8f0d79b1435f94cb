"""cox_ph against an independent direct computation and basic invariances."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import optimize

from oligotrial.stats.cox import cox_ph
from oligotrial.stats.cox_data import fix_near_ties


def direct_loglik(
    beta: np.ndarray,
    time: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    strata: np.ndarray,
    efron: bool,
) -> float:
    """Partial log-likelihood written straight from its definition (slow, obviously right)."""
    total = 0.0
    for s in np.unique(strata):
        m = strata == s
        t, d, xs = time[m], event[m], x[m]
        eta = xs @ beta
        for tt in np.unique(t[d == 1]):
            dead = (t == tt) & (d == 1)
            at_risk = t >= tt
            k = int(dead.sum())
            risk_all = np.exp(eta[at_risk]).sum()
            risk_dead = np.exp(eta[dead]).sum()
            total += eta[dead].sum()
            for j in range(k):
                frac = j / k if efron else 0.0
                total -= math.log(risk_all - frac * risk_dead)
    return total


def tied_data(seed: int, n: int = 80, strata_levels: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "time": rng.integers(1, 7, n).astype(float),
        "event": rng.binomial(1, 0.6, n),
        "a": rng.binomial(1, 0.5, n).astype(float),
        "b": rng.normal(3.0, 2.0, n),
        "strata": rng.integers(0, strata_levels, n),
    }


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("levels", [1, 3])
def test_maximises_the_directly_computed_likelihood(ties: str, levels: int) -> None:
    d = tied_data(11 + levels, strata_levels=levels)
    x = np.column_stack([d["a"], d["b"]])
    fit = cox_ph(
        d["time"],
        d["event"],
        {"a": d["a"], "b": d["b"]},
        strata=d["strata"] if levels > 1 else None,
        ties=ties,
    )  # type: ignore[arg-type]
    efron = ties == "efron"
    beta = np.array([fit.coef["a"], fit.coef["b"]])
    assert fit.loglik == pytest.approx(
        direct_loglik(beta, d["time"], d["event"], x, d["strata"], efron), rel=1e-12
    )
    assert fit.loglik_null == pytest.approx(
        direct_loglik(np.zeros(2), d["time"], d["event"], x, d["strata"], efron), rel=1e-12
    )
    best = optimize.minimize(
        lambda b: -direct_loglik(b, d["time"], d["event"], x, d["strata"], efron),
        np.zeros(2),
        method="BFGS",
        options={"gtol": 1e-10},
    )
    np.testing.assert_allclose(beta, best.x, rtol=1e-5, atol=1e-7)
    # the variance is the inverse of the numerical second derivative at the maximum
    h = 1e-4
    hess = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            e_i, e_j = np.eye(2)[i] * h, np.eye(2)[j] * h
            f = lambda b: direct_loglik(b, d["time"], d["event"], x, d["strata"], efron)  # noqa: E731
            hess[i, j] = (
                f(beta + e_i + e_j)
                - f(beta + e_i - e_j)
                - f(beta - e_i + e_j)
                + f(beta - e_i - e_j)
            ) / (4 * h * h)
    np.testing.assert_allclose(fit.variance, np.linalg.inv(-hess), rtol=1e-4)


def test_efron_equals_breslow_without_ties() -> None:
    rng = np.random.default_rng(3)
    n = 60
    t, e, z = rng.exponential(size=n), rng.binomial(1, 0.7, n), rng.normal(size=n)
    a = cox_ph(t, e, {"z": z}, ties="efron")
    b = cox_ph(t, e, {"z": z}, ties="breslow")
    assert a.coef["z"] == pytest.approx(b.coef["z"], rel=1e-12)
    assert a.se["z"] == pytest.approx(b.se["z"], rel=1e-12)


def test_row_order_and_linear_recoding_do_not_matter() -> None:
    d = tied_data(5, strata_levels=2)
    base = cox_ph(d["time"], d["event"], {"a": d["a"], "b": d["b"]}, strata=d["strata"])
    perm = np.random.default_rng(9).permutation(d["time"].shape[0])
    shuffled = cox_ph(
        d["time"][perm],
        d["event"][perm],
        {"a": d["a"][perm], "b": d["b"][perm]},
        strata=d["strata"][perm],
    )
    recoded = cox_ph(
        d["time"],
        d["event"],
        {"a": d["a"], "b": 100.0 + 10.0 * d["b"]},
        strata=np.array(["s" + str(v) for v in d["strata"]]),
    )
    for name in ("a", "b"):
        assert shuffled.coef[name] == pytest.approx(base.coef[name], rel=1e-10)
    assert recoded.coef["a"] == pytest.approx(base.coef["a"], rel=1e-10)
    assert recoded.coef["b"] * 10.0 == pytest.approx(base.coef["b"], rel=1e-10)
    assert recoded.se["b"] * 10.0 == pytest.approx(base.se["b"], rel=1e-10)
    assert recoded.loglik == pytest.approx(base.loglik, rel=1e-12)


def test_near_equal_times_are_ties_as_in_r() -> None:
    d = tied_data(8)
    jitter = d["time"] * (1.0 + 1e-12 * np.arange(d["time"].shape[0]) / 100)
    exact = cox_ph(d["time"], d["event"], {"a": d["a"]})
    jittered = cox_ph(jitter, d["event"], {"a": d["a"]})
    assert jittered.coef["a"] == pytest.approx(exact.coef["a"], rel=1e-12)
    fixed = fix_near_ties(np.array([1.0, 1.0 + 1e-10, 2.0, 3.0]))
    assert fixed.tolist() == [1.0, 1.0, 2.0, 3.0]


def test_single_subject_stratum_and_all_events() -> None:
    d = tied_data(21, n=50)
    strata = np.where(np.arange(50) == 0, 9, d["strata"])
    event = np.ones(50, dtype=int)
    fit = cox_ph(d["time"], event, {"a": d["a"], "b": d["b"]}, strata=strata)
    x = np.column_stack([d["a"], d["b"]])
    beta = np.array([fit.coef["a"], fit.coef["b"]])
    assert fit.converged and fit.n_events == 50
    assert fit.loglik == pytest.approx(direct_loglik(beta, d["time"], event, x, strata, True))


def test_confidence_level_and_tests_are_consistent() -> None:
    d = tied_data(2)
    fit90 = cox_ph(d["time"], d["event"], {"a": d["a"], "b": d["b"]}, conf_level=0.90)
    fit95 = cox_ph(d["time"], d["event"], {"a": d["a"], "b": d["b"]})
    assert fit90.hr_lower["b"] > fit95.hr_lower["b"] and fit90.hr_upper["b"] < fit95.hr_upper["b"]
    half_width = math.log(fit95.hr_upper["a"]) - fit95.coef["a"]
    assert half_width == pytest.approx(1.959964 * fit95.se["a"])
    assert fit95.lr_test.statistic == pytest.approx(2 * (fit95.loglik - fit95.loglik_null))
    assert fit95.lr_test.df == fit95.wald_test.df == fit95.score_test.df == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cox_ph(d["time"], d["event"], {"a": d["a"]})
