"""cox_zph beyond the R reference cases: grouping of terms, entry points, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from oligotrial.errors import ConvergenceWarning, InputError
from oligotrial.stats.cox import cox_ph
from oligotrial.stats.cox_zph import cox_zph, transformed_time

RNG = np.random.default_rng(4)
N = 120
TIME = RNG.integers(1, 30, N).astype(float)
EVENT = RNG.binomial(1, 0.7, N)
COV = {"a": RNG.binomial(1, 0.5, N).astype(float), "b": RNG.normal(size=N), "c": RNG.normal(size=N)}


def test_data_entry_point_equals_fit_entry_point() -> None:
    fit = cox_ph(TIME, EVENT, COV, ties="breslow")
    assert cox_zph(fit) == cox_zph(time=TIME, event=EVENT, covariates=COV, ties="breslow")


def test_grouped_terms_give_joint_tests_and_single_terms_agree() -> None:
    fit = cox_ph(TIME, EVENT, COV)
    single = cox_zph(fit)
    grouped = cox_zph(fit, terms={"a": ["a"], "bc": ["b", "c"]})
    assert grouped.terms == ("a", "bc") and grouped.df == {"a": 1, "bc": 2}
    assert grouped.chisq["a"] == single.chisq["a"]
    assert grouped.global_test == single.global_test
    assert cox_zph(fit, terms=False) == single


def test_km_transform_is_one_minus_km_just_before_each_time() -> None:
    fit = cox_ph(
        np.array([1.0, 2, 2, 3, 4]), np.array([1, 1, 0, 1, 0]), {"x": np.array([0.0, 1, 0, 1, 0.5])}
    )
    g = transformed_time(fit.data, "km")
    # KM: S(1) = 4/5, S(2) = 4/5 * 3/4 = 0.6, S(3) = 0.6 * 1/2 = 0.3
    np.testing.assert_allclose(g, [0.0, 0.2, 0.2, 0.4, 0.7])


@pytest.mark.parametrize(
    "bad", [{"transform": "spline"}, {"terms": {"b": ["b", "zz"]}}, {"terms": {"b": ["b"]}}]
)
def test_bad_arguments(bad: dict[str, object]) -> None:
    fit = cox_ph(TIME, EVENT, COV)
    with pytest.raises(InputError):
        cox_zph(fit, **bad)  # type: ignore[arg-type]


def test_needs_a_fit_or_data() -> None:
    with pytest.raises(InputError, match="fitted model"):
        cox_zph(time=TIME)


def test_degenerate_fit_warns_and_refuses_a_singular_test() -> None:
    # coefficient of a diverges (R: "Ran out of iterations"; R's cox.zph stops with
    # "system is computationally singular")
    time = np.array([1.0, 1, 3, 1, 2, 1, 2, 3])
    event = np.array([0, 1, 1, 1, 0, 1, 1, 1])
    cov = {
        "a": np.array([1.0, 1, 0, 1, 0, 1, 1, 0]),
        "b": np.array([-1.18, 0.82, 0.73, -0.88, 0.79, 0.93, 0.93, 0.54]),
        "c": np.array([2.0, 3, 3, 0, 0, 2, 1, 1]),
    }
    with pytest.warns(ConvergenceWarning):
        fit = cox_ph(time, event, cov, strata=np.array([1, 1, 1, 1, 1, 2, 1, 2]))
    assert not fit.converged
    with (
        pytest.warns(ConvergenceWarning, match="unreliable"),
        pytest.raises(InputError, match="singular"),
    ):
        cox_zph(fit)
