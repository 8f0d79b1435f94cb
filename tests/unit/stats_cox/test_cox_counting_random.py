"""Property test: cutting subjects' follow-up into (start, stop] pieces at random points
changes no estimate, SE or test, and the fit is the maximum of the directly computed
likelihood, on random small data with delayed entry, ties and strata."""

from __future__ import annotations

import math
import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.errors import ConvergenceWarning, InputError
from oligotrial.stats.cox import CoxResult, cox_ph


@st.composite
def subjects(draw: st.DrawFn) -> dict[str, np.ndarray]:
    n = draw(st.integers(4, 25))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    entry = rng.integers(0, draw(st.integers(1, 4)), n).astype(float)
    return {
        "start": entry,
        "stop": entry + rng.integers(1, draw(st.integers(2, 6)), n),
        "event": rng.binomial(1, draw(st.floats(0.1, 1.0)), n),
        "a": rng.binomial(1, 0.5, n).astype(float),
        "b": np.round(rng.normal(size=n), 2),
        "strata": rng.integers(0, draw(st.integers(1, 3)), n),
        "cuts": rng.uniform(0.0, 1.0, n),  # where (as a fraction) each subject is cut
    }


def split(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Cut each subject whose follow-up spans a whole number strictly inside it."""
    cut = np.floor(d["start"] + d["cuts"] * (d["stop"] - d["start"]))
    two = (cut > d["start"]) & (cut < d["stop"])
    first = np.flatnonzero(two)
    rows = np.concatenate((first, np.arange(d["stop"].size)))
    out = {k: d[k][rows] for k in ("a", "b", "strata")}
    out["start"] = np.concatenate((d["start"][first], np.where(two, cut, d["start"])))
    out["stop"] = np.concatenate((cut[first], d["stop"]))
    out["event"] = np.concatenate((np.zeros(first.size), d["event"]))
    out["id"] = rows
    return out


def fit(d: dict[str, np.ndarray], ties: str, cluster: bool) -> CoxResult | InputError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            return cox_ph(
                d["stop"], d["event"], {"a": d["a"], "b": d["b"]}, start=d["start"],
                strata=d["strata"], cluster=d["id"] if cluster else None,
                ties=ties,  # type: ignore[arg-type]
            )  # fmt: skip
        except InputError as exc:
            return exc


def runs_off(result: CoxResult | InputError) -> bool:
    if isinstance(result, InputError):
        return "while fitting" in str(result)
    return not result.converged or bool(result.possibly_infinite)


def direct_loglik(beta: np.ndarray, d: dict[str, np.ndarray], efron: bool) -> float:
    eta = np.column_stack([d["a"], d["b"]]) @ beta
    total = 0.0
    for s in np.unique(d["strata"]):
        m = d["strata"] == s
        for t in np.unique(d["stop"][m & (d["event"] == 1)]):
            risk = m & (d["start"] < t) & (d["stop"] >= t)
            dead = m & (d["stop"] == t) & (d["event"] == 1)
            k, top = int(dead.sum()), eta[risk].max()
            all_, died = np.exp(eta[risk] - top).sum(), np.exp(eta[dead] - top).sum()
            total += eta[dead].sum() - sum(
                top + math.log(all_ - (j / k if efron else 0.0) * died) for j in range(k)
            )
    return total


@settings(max_examples=60, deadline=None)
@given(subjects(), st.sampled_from(["efron", "breslow"]))
def test_cutting_follow_up_changes_nothing(d: dict[str, np.ndarray], ties: str) -> None:
    d["id"] = np.arange(d["stop"].size)
    whole = fit(d, ties, cluster=True)
    pieces = fit(split(d), ties, cluster=True)
    if runs_off(whole) or runs_off(pieces):
        # separated data: the coefficient runs off along a flat likelihood, and rounding
        # decides where the iterations stop (or whether the information is still positive)
        return
    if isinstance(whole, InputError):
        assert isinstance(pieces, InputError) and pieces.field == whole.field
        assert whole.field in {"event", "covariates.a", "covariates.b", "cluster"}
        return
    assert isinstance(pieces, CoxResult)
    assert pieces.iterations == whole.iterations and pieces.converged
    for name in ("a", "b"):
        for key in ("coef", "naive_se", "se"):
            assert math.isclose(
                getattr(pieces, key)[name], getattr(whole, key)[name], rel_tol=1e-8, abs_tol=1e-12
            ), (key, name)
    assert math.isclose(pieces.loglik, whole.loglik, rel_tol=1e-12)
    beta = np.array([whole.coef["a"], whole.coef["b"]])
    assert math.isclose(whole.loglik, direct_loglik(beta, d, ties == "efron"), rel_tol=1e-9)
    assert whole.robust_score_test is not None and pieces.robust_score_test is not None
    assert math.isclose(
        pieces.robust_score_test.statistic,
        whole.robust_score_test.statistic,
        rel_tol=1e-8,
        abs_tol=1e-12,
    )
