"""RMST and its SE agree with R survival's print(fit, rmean = tau) (rmst_reference.R)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats as sps

from oligotrial.stats import rmst


def test_rmst_matches_survfit_rmean(
    rmst_case: dict[str, Any], datasets: dict[str, Any], match_r: Callable[..., None]
) -> None:
    data = datasets[rmst_case["dataset"]]
    group = np.array(data["group"]) if rmst_case["by_group"] else None
    result = rmst(data["time"], data["event"], rmst_case["tau"], group=group)
    if rmst_case["by_group"]:
        assert [str(g.group) for g in result.groups] == rmst_case["groups"]
    match_r([g.rmst for g in result.groups], rmst_case["rmst"], rtol=1e-12, what="rmst")
    match_r([g.se for g in result.groups], rmst_case["se"], rtol=1e-10, what="se")
    if len(result.groups) == 2:
        r_rmst, r_se = np.asarray(rmst_case["rmst"]), np.asarray(rmst_case["se"])
        diff = result.difference
        assert diff is not None
        # survRM2's rmst2 definition applied to R's per-group values
        se = float(np.hypot(*r_se))
        z = sps.norm.ppf(0.975)
        match_r(diff.estimate, r_rmst[1] - r_rmst[0], rtol=1e-10, what="difference")
        match_r(diff.se, se, rtol=1e-10, what="difference se")
        match_r([diff.lower, diff.upper], [diff.estimate - z * se, diff.estimate + z * se])
    else:
        assert result.difference is None
