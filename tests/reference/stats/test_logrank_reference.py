"""Log-rank tests agree with R survival's survdiff (logrank_reference.R)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from oligotrial.stats import logrank_test


def test_logrank_matches_survdiff(
    logrank_case: dict[str, Any], datasets: dict[str, Any], match_r: Callable[..., None]
) -> None:
    data = datasets[logrank_case["dataset"]]
    result = logrank_test(
        data["time"],
        data["event"],
        np.array(data["group"]),
        strata=np.array(data["stratum"]) if logrank_case["stratified"] else None,
        rho=logrank_case["rho"],
    )
    assert [str(g) for g in result.groups] == logrank_case["groups"]
    assert result.df == logrank_case["df"]
    match_r(result.chisq, logrank_case["chisq"], rtol=1e-10, what="chisq")
    match_r(result.p_value, logrank_case["p_value"], rtol=1e-8, what="p")
    match_r(result.observed, logrank_case["observed"], rtol=1e-12, what="observed")
    match_r(result.expected, logrank_case["expected"], rtol=1e-12, what="expected")
    match_r(result.variance.T.ravel(), logrank_case["variance"], rtol=1e-10, what="variance")
