"""Bad input to cox_ph: a clear InputError naming the field, or a flagged warning."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from oligotrial.errors import ConvergenceWarning, InputError
from oligotrial.stats.cox import cox_ph

RNG = np.random.default_rng(1)
N = 60
T = RNG.exponential(size=N)
E = RNG.binomial(1, 0.7, N)
A = RNG.normal(size=N)
B = RNG.normal(size=N)


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"covariates": {"a": A, "b": B, "c": A + 2 * B}}, "covariates.c", "singular"),
        (
            {
                "covariates": {"a": A, "s": np.repeat([0.0, 1.0], 30)},
                "strata": np.repeat(["x", "y"], 30),
            },
            "covariates.s",
            "within strata",
        ),
        ({"covariates": {"a": A, "k": np.full(N, 2.0)}}, "covariates.k", "no variance"),
        ({"covariates": {"a": np.where(np.arange(N) == 3, np.nan, A)}}, "covariates.a", "NaN"),
        ({"covariates": {"a": np.where(np.arange(N) == 3, np.inf, A)}}, "covariates.a", "infinite"),
        ({"covariates": {"a": A[:-1]}}, "covariates.a", "59 values"),
        ({"covariates": {"a": ["x"] * N}}, "covariates.a", "numeric"),
        ({"covariates": {}}, "covariates", "at least one"),
        ({"time": np.where(np.arange(N) == 5, -1.0, T)}, "time", "negative"),
        ({"time": np.where(np.arange(N) == 5, np.nan, T)}, "time", "NaN"),
        ({"event": np.where(np.arange(N) == 2, 2, E)}, "event", "0 or 1"),
        ({"event": np.where(np.arange(N) == 2, np.nan, E)}, "event", "NaN"),
        ({"strata": np.where(np.arange(N) == 2, np.nan, 1.0)}, "strata", "NaN"),
        ({"event": np.zeros(N)}, "event", "no events"),
        ({"ties": "exact"}, "ties", "efron"),
        ({"conf_level": 95.0}, "conf_level", "between 0 and 1"),
        ({"strata": ["a"] * (N - 1)}, "strata", "one value per time"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str, words: str) -> None:
    args: dict[str, object] = {"time": T, "event": E, "covariates": {"a": A}}
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        cox_ph(args.pop("time"), args.pop("event"), args.pop("covariates"), **args)  # type: ignore[arg-type]
    assert info.value.field == field
    assert words in str(info.value)


def test_missing_omit_drops_incomplete_rows_like_na_omit() -> None:
    a = np.where(np.arange(N) % 10 == 0, np.nan, A)
    strata = np.array(["s1", "s2", None] * 20, dtype=object)
    event = np.where(np.arange(N) == 7, np.nan, E)
    fit = cox_ph(T, event, {"a": a, "b": B}, strata=strata, missing="omit")
    keep = ~np.isnan(a) & (np.arange(N) % 3 != 2) & (np.arange(N) != 7)
    ref = cox_ph(T[keep], E[keep], {"a": A[keep], "b": B[keep]}, strata=strata[keep].astype(str))
    assert fit.n_dropped == int((~keep).sum()) and fit.n == int(keep.sum())
    assert fit.coef == ref.coef


def test_non_convergence_warns_and_flags() -> None:
    with pytest.warns(ConvergenceWarning, match="did not converge in 2 iterations"):
        fit = cox_ph(T, E, {"a": A, "b": B}, max_iter=2, eps=1e-300)
    assert not fit.converged and fit.iterations == 2
    assert all(np.isfinite(v) for v in fit.coef.values())
    assert all(np.isfinite(v) for v in fit.se.values())


def test_zero_iterations_evaluate_at_zero_and_one_iteration_warns() -> None:
    at_zero = cox_ph(T, E, {"a": A}, max_iter=0)
    assert at_zero.coef == {"a": 0.0} and at_zero.iterations == 0 and not at_zero.converged
    assert at_zero.loglik == at_zero.loglik_null
    with pytest.warns(ConvergenceWarning, match="did not converge in 1 iterations"):
        one = cox_ph(T, E, {"a": A}, max_iter=1)
    assert not one.converged


def test_separated_covariate_is_flagged_possibly_infinite() -> None:
    time = np.arange(1.0, 21.0)
    x = np.repeat([1.0, 0.0], 10)  # every x = 1 subject fails first
    z = np.random.default_rng(7).normal(size=20)
    with pytest.warns(ConvergenceWarning, match="converged before x; coefficient may be infinite"):
        fit = cox_ph(time, np.ones(20), {"x": x, "z": z})
    assert fit.possibly_infinite == ("x",)
    assert fit.coef["x"] > 15 and np.isfinite(fit.coef["x"])


def test_clean_fit_raises_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = cox_ph(T, E, {"a": A, "b": B})
    assert fit.converged and fit.possibly_infinite == ()
