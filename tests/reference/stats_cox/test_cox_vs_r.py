"""cox_ph and cox_zph against R's survival 3.5-3 (values in cox_reference.json,
produced by cox_reference.R from the CSV files in data/)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from oligotrial.errors import ConvergenceWarning
from oligotrial.stats.cox import cox_ph
from oligotrial.stats.cox_zph import cox_zph

RTOL = 1e-6
CASES = list(json.loads((Path(__file__).parent / "cox_reference.json").read_text())["cases"])


def close(ours: float, theirs: float | str, rtol: float = RTOL) -> bool:
    if isinstance(theirs, str):  # R writes infinite values as "Inf" / "-Inf"
        theirs = float(theirs.replace("Inf", "inf"))
    if np.isinf(theirs):
        return bool(ours == theirs)
    return bool(abs(ours - theirs) <= rtol * max(abs(theirs), 1e-300) or ours == theirs)


def fit_case(case: dict[str, Any], load_data: Any) -> Any:
    """Fit as R did; where R warned, the same ConvergenceWarning must be raised, else none."""
    data = load_data(case["data"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = cox_ph(
            data["time"],
            data["status"],
            {c: data[c] for c in case["covariates"]},
            strata=data[case["strata"]] if case["strata"] else None,
            ties=case["ties"],
            missing="omit",
        )
    ours = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert len(ours) == len(case["warnings"]), [str(w.message) for w in caught]
    assert not [w for w in caught if not issubclass(w.category, ConvergenceWarning)]
    if case["warnings"] and not ran_out(case):
        assert "coefficient may be infinite" in str(ours[0].message)
        assert fit.possibly_infinite == ("x",)
    return fit


def ran_out(case: dict[str, Any]) -> bool:
    return any("Ran out of iterations" in w for w in case["warnings"])


@pytest.mark.parametrize("case_id", CASES)
def test_coefficients_and_tests_match_r(
    case_id: str, reference: dict[str, Any], load_data: Any
) -> None:
    case = reference[case_id]
    fit = fit_case(case, load_data)
    names = case["covariates"]
    assert fit.n == case["n"] and fit.n_events == case["n_events"]
    if ran_out(case):
        # R reports iter.max + 1 and a variance from an unfactored matrix; compare the
        # estimate and log-likelihoods only
        assert not fit.converged and fit.iterations == case["iterations"] - 1 == 20
        for name in names:
            assert close(fit.coef[name], case["coef"][name]), name
        assert close(fit.loglik, case["loglik"]) and close(fit.loglik_null, case["loglik_null"])
        return
    assert fit.converged
    assert fit.iterations == case["iterations"]
    for key in ("coef", "hazard_ratio", "hr_lower", "hr_upper", "z", "p_value"):
        for name in names:
            assert close(getattr(fit, key)[name], case[key][name]), (key, name)
    for name, se in zip(names, case["se"], strict=True):
        assert close(fit.se[name], se), ("se", name)
    np.testing.assert_allclose(fit.variance, np.array(case["variance"]), rtol=RTOL)
    assert close(fit.loglik, case["loglik"]) and close(fit.loglik_null, case["loglik_null"])
    for test in ("wald_test", "score_test", "lr_test"):
        ours, theirs = getattr(fit, test), case[test]
        assert ours.df == theirs["df"]
        assert close(ours.statistic, theirs["statistic"]), test
        assert close(ours.p_value, theirs["p_value"]), test


@pytest.mark.parametrize("case_id", CASES)
def test_zph_matches_r(case_id: str, reference: dict[str, Any], load_data: Any) -> None:
    case = reference[case_id]
    fit = fit_case(case, load_data)
    for transform, table in case["zph"].items():
        if case["warnings"]:  # R computes it; we do too, with a warning
            with pytest.warns(ConvergenceWarning, match="may be unreliable"):
                zph = cox_zph(fit, transform=transform)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                zph = cox_zph(fit, transform=transform)
        assert list(zph.terms) == table["terms"][:-1]
        chisq = [*zph.chisq.values(), zph.global_test.statistic]
        p = [*zph.p_value.values(), zph.global_test.p_value]
        df = [*zph.df.values(), zph.global_test.df]
        assert df == table["df"]
        np.testing.assert_allclose(chisq, table["chisq"], rtol=RTOL, err_msg=transform)
        np.testing.assert_allclose(p, table["p"], rtol=RTOL, err_msg=transform)
        np.testing.assert_allclose(zph.x, table["x"], rtol=RTOL, err_msg=transform)
        if "y" in table:
            np.testing.assert_array_equal(zph.time, table["time"])
            expected = np.array(
                [[np.nan if v == "NA" else v for v in row] for row in table["y"]], dtype=float
            ).reshape(zph.residuals.shape)
            np.testing.assert_allclose(zph.residuals, expected, rtol=RTOL, err_msg="residuals")
