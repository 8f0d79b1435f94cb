"""cox_ph with (start, stop] data and the robust variance: direct computations from the
definitions, invariances, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from oligotrial.errors import InputError
from oligotrial.stats.cox import cox_ph
from oligotrial.stats.cox_zph import cox_zph


def counting_data(seed: int, n_subjects: int = 60, levels: int = 2) -> dict[str, np.ndarray]:
    """Subjects with delayed entry, a covariate changing at a visit, whole-number times."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_subjects):
        entry = float(rng.integers(0, 3))
        stop = entry + float(rng.integers(1, 9))
        a = float(rng.binomial(1, 0.5))
        b0, b1 = rng.normal(2.0, 1.0, 2)
        stratum = int(rng.integers(0, levels))
        dies = int(rng.random() < 0.7)
        visit = entry + 2.0
        if visit < stop:
            rows.append((entry, visit, 0, a, b0, stratum, i))
            rows.append((visit, stop, dies, a, b1, stratum, i))
        else:
            rows.append((entry, stop, dies, a, b0, stratum, i))
    cols = np.array(rows)
    names = ("start", "stop", "event", "a", "b", "strata", "id")
    return {name: cols[:, j] for j, name in enumerate(names)}


def direct_loglik(beta: np.ndarray, d: dict[str, np.ndarray], efron: bool) -> float:
    """The partial likelihood from its definition: at risk when start < t <= stop."""
    x = np.column_stack([d["a"], d["b"]])
    eta = x @ beta
    total = 0.0
    for s in np.unique(d["strata"]):
        m = d["strata"] == s
        for t in np.unique(d["stop"][m & (d["event"] == 1)]):
            at_risk = m & (d["start"] < t) & (d["stop"] >= t)
            dead = m & (d["stop"] == t) & (d["event"] == 1)
            k = int(dead.sum())
            total += eta[dead].sum()
            for j in range(k):
                frac = j / k if efron else 0.0
                total -= math.log(np.exp(eta[at_risk]).sum() - frac * np.exp(eta[dead]).sum())
    return total


def direct_score_residuals(beta: np.ndarray, d: dict[str, np.ndarray], efron: bool) -> np.ndarray:
    """Score residuals from their definition, one event time and one row at a time."""
    x = np.column_stack([d["a"], d["b"]])
    risk = np.exp(x @ beta)
    resid = np.zeros_like(x)
    for s in np.unique(d["strata"]):
        m = d["strata"] == s
        for t in np.unique(d["stop"][m & (d["event"] == 1)]):
            at_risk = m & (d["start"] < t) & (d["stop"] >= t)
            dead = m & (d["stop"] == t) & (d["event"] == 1)
            k = int(dead.sum())
            steps = k if efron else 1
            for step in range(steps):
                share = 1.0 - step / steps  # weight of the tied events in this step
                w = np.where(dead, share, 1.0) * at_risk * risk
                mean = (w @ x) / w.sum()
                hazard = (1.0 if efron else k) / w.sum()
                resid -= (w * hazard)[:, None] * (x - mean)
                resid[dead] += (x[dead] - mean) / steps
    return resid


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_maximises_the_directly_computed_likelihood(ties: str) -> None:
    d = counting_data(5)
    fit = cox_ph(
        d["stop"], d["event"], {"a": d["a"], "b": d["b"]}, start=d["start"], strata=d["strata"],
        ties=ties,  # type: ignore[arg-type]
    )  # fmt: skip
    efron = ties == "efron"
    beta = np.array([fit.coef["a"], fit.coef["b"]])
    assert fit.loglik == pytest.approx(direct_loglik(beta, d, efron), rel=1e-12)
    assert fit.loglik_null == pytest.approx(direct_loglik(np.zeros(2), d, efron), rel=1e-12)
    best = optimize.minimize(lambda b: -direct_loglik(b, d, efron), np.zeros(2), tol=1e-12)
    np.testing.assert_allclose(beta, best.x, atol=1e-5)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_robust_variance_is_the_sum_of_direct_dfbeta_per_cluster(ties: str) -> None:
    d = counting_data(8)
    fit = cox_ph(
        d["stop"], d["event"], {"a": d["a"], "b": d["b"]}, start=d["start"], strata=d["strata"],
        cluster=d["id"], ties=ties,  # type: ignore[arg-type]
    )  # fmt: skip
    efron = ties == "efron"
    beta = np.array([fit.coef["a"], fit.coef["b"]])
    dfbeta = direct_score_residuals(beta, d, efron) @ fit.naive_variance
    per_subject = np.array([dfbeta[d["id"] == i].sum(axis=0) for i in np.unique(d["id"])])
    np.testing.assert_allclose(fit.variance, per_subject.T @ per_subject, rtol=1e-10)
    # the robust score test: score residuals at beta = 0, summed per subject
    r0 = direct_score_residuals(np.zeros(2), d, efron)
    per0 = np.array([r0[d["id"] == i].sum(axis=0) for i in np.unique(d["id"])])
    u = per0.sum(axis=0)
    assert fit.robust_score_test is not None
    assert fit.robust_score_test.statistic == pytest.approx(
        u @ np.linalg.solve(per0.T @ per0, u), rel=1e-10
    )
    assert fit.wald_test.statistic == pytest.approx(
        beta @ np.linalg.solve(fit.variance, beta), rel=1e-10
    )
    assert fit.se["a"] == pytest.approx(math.sqrt(fit.variance[0, 0]), rel=1e-14)
    assert fit.naive_se["a"] == pytest.approx(math.sqrt(fit.naive_variance[0, 0]), rel=1e-14)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_splitting_rows_changes_nothing(ties: str) -> None:
    """A subject's follow-up cut into intervals with the same covariates is the same data;
    its robust variance clustered by subject equals the per-row one of the uncut data."""
    rng = np.random.default_rng(3)
    n = 120
    time = rng.integers(1, 12, n).astype(float)
    event = rng.binomial(1, 0.6, n)
    a, b = rng.binomial(1, 0.5, n).astype(float), rng.normal(size=n)
    strata = rng.integers(0, 2, n)
    whole = cox_ph(time, event, {"a": a, "b": b}, strata=strata, ties=ties, robust=True)  # type: ignore[arg-type]
    cut = np.floor(time * rng.uniform(0, 1, n))
    two = cut > 0
    idx = np.concatenate((np.arange(n)[two], np.arange(n)))
    start = np.concatenate((np.zeros(two.sum()), np.where(two, cut, 0.0)))
    stop = np.concatenate((cut[two], time))
    ev = np.concatenate((np.zeros(two.sum()), event))
    split = cox_ph(
        stop, ev, {"a": a[idx], "b": b[idx]}, start=start, strata=strata[idx], cluster=idx,
        ties=ties,  # type: ignore[arg-type]
    )  # fmt: skip
    assert split.n == n + int(two.sum()) and split.n_clusters == n
    for name in ("a", "b"):
        assert split.coef[name] == pytest.approx(whole.coef[name], rel=1e-10)
        assert split.naive_se[name] == pytest.approx(whole.naive_se[name], rel=1e-10)
        assert split.se[name] == pytest.approx(whole.se[name], rel=1e-10)
    assert split.loglik == pytest.approx(whole.loglik, rel=1e-12)
    assert split.robust_score_test is not None and whole.robust_score_test is not None
    assert split.robust_score_test.statistic == pytest.approx(
        whole.robust_score_test.statistic, rel=1e-10
    )


def test_entry_at_zero_is_right_censored_data() -> None:
    d = counting_data(2)
    covs = {"a": d["a"], "b": d["b"]}
    plain = cox_ph(d["stop"], d["event"], covs, strata=d["strata"])
    counted = cox_ph(
        d["stop"], d["event"], covs, strata=d["strata"], start=np.zeros(d["stop"].size)
    )
    assert counted.counting and not plain.counting
    assert counted.coef == pytest.approx(plain.coef, rel=1e-12)
    assert counted.se == pytest.approx(plain.se, rel=1e-12)


def test_everyone_leaving_the_risk_set_resets_the_sums() -> None:
    """Two separate periods (survSplit-like): the fit equals the sum of two strata fits'
    log-likelihoods at the same beta, with no rounding carried across the gap."""
    d = counting_data(4, levels=1)
    late = d["start"] + 100.0
    both = {k: np.concatenate((v, v)) for k, v in d.items()}
    both["start"] = np.concatenate((d["start"], late))
    both["stop"] = np.concatenate((d["stop"], d["stop"] + 100.0))
    fit = cox_ph(both["stop"], both["event"], {"a": both["a"], "b": both["b"]}, start=both["start"])
    single = cox_ph(d["stop"], d["event"], {"a": d["a"], "b": d["b"]}, start=d["start"])
    assert fit.loglik == pytest.approx(2 * single.loglik, rel=1e-12)
    assert fit.coef == pytest.approx(single.coef, rel=1e-10)


N = 30
START = np.zeros(N)
STOP = np.arange(1.0, N + 1)
EVENT = np.tile([1, 0, 1], 10)
X = np.random.default_rng(9).normal(size=N)


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"start": np.where(np.arange(N) == 4, 5.0, START)}, "start", "row 4 has start 5.0"),
        ({"start": np.where(np.arange(N) == 4, 9.0, START)}, "start", "before the stop time"),
        ({"start": np.where(np.arange(N) == 2, -1.0, START)}, "start", "negative"),
        ({"start": np.where(np.arange(N) == 2, np.nan, START)}, "start", "NaN"),
        ({"start": np.where(np.arange(N) == 2, np.inf, START)}, "start", "infinite"),
        ({"start": START[:-1]}, "start", "29 values"),
        ({"start": np.where(np.arange(N) == 0, 1.0 - 1e-12, START)}, "start", "length 0"),
        ({"cluster": np.where(np.arange(N) == 3, np.nan, 1.0)}, "cluster", "NaN"),
        ({"cluster": ["x"] * (N - 1)}, "cluster", "one value per time"),
        ({"robust": True}, "cluster", "needs the cluster"),
        ({"cluster": np.arange(N), "robust": False}, "robust", "must be robust"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str, words: str) -> None:
    args: dict[str, object] = {"start": START}
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        cox_ph(STOP, EVENT, {"x": X}, **args)  # type: ignore[arg-type]
    assert info.value.field == field
    assert words in str(info.value)


def test_missing_omit_drops_rows_with_missing_start_or_cluster() -> None:
    start = np.where(np.arange(N) == 3, np.nan, START)
    cluster = np.where(np.arange(N) == 8, np.nan, np.arange(N) // 2)
    fit = cox_ph(STOP, EVENT, {"x": X}, start=start, cluster=cluster, missing="omit")
    keep = (np.arange(N) != 3) & (np.arange(N) != 8)
    ref = cox_ph(STOP[keep], EVENT[keep], {"x": X[keep]}, start=START[keep], cluster=cluster[keep])
    assert fit.n_dropped == 2 and fit.coef == ref.coef and fit.se == ref.se


def test_a_cluster_whose_rows_are_all_dropped_leaves_no_empty_cluster() -> None:
    x = np.where(np.arange(N) < 4, np.nan, X)  # clusters 0 and 1 lose both rows
    cluster = np.arange(N) // 2
    fit = cox_ph(STOP, EVENT, {"x": x}, start=START, cluster=cluster, missing="omit")
    ref = cox_ph(STOP[4:], EVENT[4:], {"x": X[4:]}, start=START[4:], cluster=cluster[4:] - 2)
    assert fit.n_clusters == ref.n_clusters == (N - 4) // 2
    assert fit.se == ref.se


def test_a_robust_variance_of_zero_is_refused_not_a_nan() -> None:
    """Everyone at risk dies at one time: each score residual is exactly 0."""
    x = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0])
    with pytest.raises(InputError, match="robust variance of x is zero") as info:
        cox_ph(np.ones(8), np.ones(8), {"x": x}, start=np.zeros(8), cluster=np.arange(8))
    assert info.value.field == "cluster"


@pytest.mark.parametrize("transform", ["km", "identity", "rank", "log"])
def test_proportional_hazards_test_with_entry_at_zero_is_the_right_censored_one(
    transform: str,
) -> None:
    d = counting_data(6)
    covs = {"a": d["a"], "b": d["b"]}
    plain = cox_zph(cox_ph(d["stop"], d["event"], covs, strata=d["strata"]), transform=transform)  # type: ignore[arg-type]
    counted = cox_zph(
        cox_ph(d["stop"], d["event"], covs, strata=d["strata"], start=np.zeros(d["stop"].size)),
        transform=transform,  # type: ignore[arg-type]
    )
    assert counted.chisq == pytest.approx(plain.chisq, rel=1e-10)
    np.testing.assert_allclose(counted.x, plain.x, rtol=1e-12)
