"""Property test: on random small tied data the fit maximises the directly computed
partial likelihood, or the input is rejected with a clear error."""

from __future__ import annotations

import math
import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.errors import ConvergenceWarning, InputError
from oligotrial.stats.cox import cox_ph


def direct_loglik(
    beta: np.ndarray,
    time: np.ndarray,
    event: np.ndarray,
    x: np.ndarray,
    strata: np.ndarray,
    efron: bool,
) -> float:
    total = 0.0
    for s in np.unique(strata):
        m = strata == s
        t, d, eta = time[m], event[m], x[m] @ beta
        for tt in np.unique(t[d == 1]):
            dead = (t == tt) & (d == 1)
            k = int(dead.sum())
            top = eta[t >= tt].max()  # shift so that huge coefficients do not overflow
            risk_all = np.exp(eta[t >= tt] - top).sum()
            risk_dead = np.exp(eta[dead] - top).sum()
            total += eta[dead].sum()
            total -= sum(
                top + math.log(risk_all - (j / k if efron else 0.0) * risk_dead) for j in range(k)
            )
    return total


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, np.ndarray]:
    n = draw(st.integers(4, 30))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return {
        "time": rng.integers(1, draw(st.integers(2, 6)), n).astype(float),
        "event": rng.binomial(1, draw(st.floats(0.0, 1.0)), n),
        "a": rng.binomial(1, 0.5, n).astype(float),
        "b": np.round(rng.normal(size=n), 2),
        "strata": rng.integers(0, draw(st.integers(1, 3)), n),
    }


@settings(max_examples=50, deadline=None)
@given(datasets(), st.sampled_from(["efron", "breslow"]))
def test_fit_is_the_maximum_or_input_is_rejected(d: dict[str, np.ndarray], ties: str) -> None:
    x = np.column_stack([d["a"], d["b"]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = cox_ph(
                d["time"], d["event"], {"a": d["a"], "b": d["b"]}, strata=d["strata"], ties=ties
            )  # type: ignore[arg-type]
        except InputError as exc:
            assert exc.field in {"event", "covariates.a", "covariates.b"}
            return
    assert all(issubclass(w.category, ConvergenceWarning) for w in caught)
    beta = np.array([fit.coef["a"], fit.coef["b"]])
    assert np.isfinite(beta).all() and np.isfinite(list(fit.se.values())).all()
    # step halving never accepts a worse point (up to rounding when beta = 0 is the maximum)
    assert fit.loglik >= fit.loglik_null - 1e-12 * abs(fit.loglik_null)
    if caught:  # separated data: coefficients run off; the likelihood only nears its supremum
        return
    efron = ties == "efron"
    at_fit = direct_loglik(beta, d["time"], d["event"], x, d["strata"], efron)
    assert math.isclose(fit.loglik, at_fit, rel_tol=1e-9, abs_tol=1e-9)
    assert fit.converged
    for step in (np.array([1e-3, 0.0]), np.array([0.0, 1e-3])):
        for sign in (1.0, -1.0):
            nearby = direct_loglik(beta + sign * step, d["time"], d["event"], x, d["strata"], efron)
            assert nearby <= at_fit + 1e-9
