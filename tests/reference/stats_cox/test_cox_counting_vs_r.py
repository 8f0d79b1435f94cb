"""cox_ph on (start, stop] data and with the robust (cluster) variance against R's survival
3.5-3 (values in cox_counting_reference.csv, models in cox_counting_cases.csv, both written
by cox_counting_reference.R from the CSV files in data/)."""

from __future__ import annotations

import csv
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from oligotrial.errors import ConvergenceWarning
from oligotrial.stats.cox import CoxResult, cox_ph
from oligotrial.stats.cox_zph import cox_zph

HERE = Path(__file__).parent
RTOL = 1e-8
# A coefficient that R flags as possibly infinite sits where the likelihood is flat, so
# the last Newton step amplifies rounding: coefficient 1e-9, robust SE of it 5e-8 apart.
RTOL_SEPARATED = 1e-6


def _read(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(newline="") as fh:
        return list(csv.DictReader(fh))


CASES = {row["id"]: row for row in _read("cox_counting_cases.csv")}
EXPECTED: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
for _row in _read("cox_counting_reference.csv"):
    EXPECTED[_row["case"]][_row["quantity"]][_row["term"]] = float(_row["value"])


def fit_case(case_id: str, load_data: Any) -> CoxResult:
    case = CASES[case_id]
    data = load_data(case["data"])
    counting = "start" in data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = cox_ph(
            data["stop"] if counting else data["time"],
            data["event"] if counting else data["status"],
            {c: data[c] for c in case["covariates"].split()},
            start=data["start"] if counting else None,
            strata=data[case["strata"]] if case["strata"] else None,
            cluster=data[case["cluster"]] if case["cluster"] else None,
            robust=case["robust"] == "TRUE",
            ties=case["ties"],  # type: ignore[arg-type]
            max_iter=int(case["iter_max"]),
        )
    # where R warned, so do we, with the same verdict; otherwise no warning
    if case["warning"]:
        assert [w.category for w in caught] == [ConvergenceWarning]
        if "Ran out of iterations" in case["warning"]:
            assert "did not converge" in str(caught[0].message) and not fit.converged
        else:
            assert "may be infinite" in case["warning"]
            assert "may be infinite" in str(caught[0].message)
            assert fit.possibly_infinite == (fit.names[0],)
    else:
        assert not caught, [str(w.message) for w in caught]
    return fit


def assert_close(ours: float, theirs: float, what: str, rtol: float = RTOL) -> None:
    assert abs(ours - theirs) <= rtol * abs(theirs), (what, ours, theirs)


@pytest.mark.parametrize("case_id", list(CASES))
def test_fit_matches_r(case_id: str, load_data: Any) -> None:
    fit = fit_case(case_id, load_data)
    want = EXPECTED[case_id]
    rtol = RTOL_SEPARATED if CASES[case_id]["warning"] else RTOL
    assert fit.robust == (CASES[case_id]["robust"] == "TRUE")
    assert fit.n == want["n"][""] and fit.n_events == want["n_events"][""]
    assert fit.iterations == want["iterations"][""]
    assert fit.converged == ("Ran out" not in CASES[case_id]["warning"])
    for key in ("coef", "se", "naive_se", "hr_lower", "hr_upper", "z", "p_value"):
        for name, value in want[key].items():
            assert_close(getattr(fit, key)[name], value, f"{key} {name}", rtol)
    for key, matrix in (("variance", fit.variance), ("naive_variance", fit.naive_variance)):
        for pair, value in want[key].items():
            j, k = (fit.names.index(name) for name in pair.split())
            assert_close(float(matrix[j, k]), value, f"{key} {pair}", rtol)
    for key in ("loglik", "loglik_null"):
        assert_close(getattr(fit, key), want[key][""], key, rtol)
    for key in ("wald_test", "score_test", "lr_test"):
        assert_close(getattr(fit, key).statistic, want[key][""], key, rtol)
    if fit.robust:
        assert fit.robust_score_test is not None
        assert_close(fit.robust_score_test.statistic, want["robust_score_test"][""], "rscore", rtol)
        data = load_data(CASES[case_id]["data"])
        cluster = CASES[case_id]["cluster"]
        assert fit.n_clusters == (len(np.unique(data[cluster])) if cluster else fit.n)
    else:
        assert fit.robust_score_test is None and fit.se == fit.naive_se


ZPH_CASES = [c for c in CASES if "zph_time" in EXPECTED[c]]


@pytest.mark.parametrize("case_id", ZPH_CASES)
def test_zph_matches_r(case_id: str, load_data: Any) -> None:
    fit = fit_case(case_id, load_data)
    want = EXPECTED[case_id]
    for transform in ("km", "identity", "rank", "log"):
        zph = cox_zph(fit, transform=transform)  # type: ignore[arg-type]
        chisq = {**zph.chisq, "GLOBAL": zph.global_test.statistic}
        p = {**zph.p_value, "GLOBAL": zph.global_test.p_value}
        assert list(chisq) == list(want[f"zph_{transform}_chisq"])
        for term, value in want[f"zph_{transform}_chisq"].items():
            assert_close(chisq[term], value, f"{transform} chisq {term}")
            assert_close(p[term], want[f"zph_{transform}_p"][term], f"{transform} p {term}")
        x = [want[f"zph_{transform}_x"][str(i + 1)] for i in range(zph.x.size)]
        np.testing.assert_allclose(zph.x, x, rtol=RTOL, err_msg=transform)
    # event times (folded near ties may differ from R's in the last bit)
    times = [want["zph_time"][str(i + 1)] for i in range(zph.time.size)]
    np.testing.assert_allclose(zph.time, times, rtol=1e-15)
    y = np.array(
        [[want["zph_y"][f"{i + 1} {name}"] for name in fit.names] for i in range(zph.time.size)]
    )
    np.testing.assert_allclose(zph.residuals, y, rtol=RTOL, err_msg="scaled residuals")
