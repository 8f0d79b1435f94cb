"""Median and its CI agree with R's printed survfit table (km_median_reference.R).

The table (``print(fit)``, ``summary(fit)$table``) and ``quantile.survfit`` differ where a
band rises again after reaching 0.5 (aml, log band) or the curve ends flat at 0.5; the
median follows the table, :meth:`KaplanMeier.quantile` keeps ``quantile.survfit``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from oligotrial.stats import kaplan_meier, kaplan_meier_by_group


def _fits(case: dict[str, Any], datasets: dict[str, Any]) -> list[Any]:
    data = datasets[case["dataset"]]
    kwargs = {"conf_type": case["conf_type"], "conf_level": case["conf_level"]}
    if not case["by_group"]:
        return [kaplan_meier(data["time"], data["event"], **kwargs)]
    fits = kaplan_meier_by_group(data["time"], data["event"], np.array(data["group"]), **kwargs)
    return list(fits.values())


def test_median_and_ci_match_the_printed_table(
    km_median_case: dict[str, Any], datasets: dict[str, Any], match_r: Callable[..., None]
) -> None:
    fits = _fits(km_median_case, datasets)
    assert len(fits) == len(km_median_case["curves"])
    for fit, ref in zip(fits, km_median_case["curves"], strict=True):
        match_r([fit.median, *fit.median_ci], ref["table"], rtol=1e-12, what=ref["label"])
        match_r(fit.quantile(0.5), ref["quantile_survfit"], rtol=1e-12, what="quantile")


def _case(reference: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in reference["cases"] if c["name"] == name)


def test_aml_log_upper_limit_is_45_not_48(
    km_median_reference: dict[str, Any], datasets: dict[str, Any]
) -> None:
    case = _case(km_median_reference, "aml/log/pooled")
    (fit,) = _fits(case, datasets)
    assert case["curves"][0]["table"] == [27, 18, 45]
    assert case["curves"][0]["quantile_survfit"] == [27, 18, 48]
    assert (fit.median, *fit.median_ci) == (27.0, 18.0, 45.0)
    # the upper band first falls to 0.5 or below at 45, then rises above it again at 48
    at = {float(t): float(u) for t, u in zip(fit.time, fit.upper, strict=True)}
    assert at[45.0] < 0.5 and at[48.0] > at[45.0]


def test_the_rules_differ_only_where_expected(km_median_reference: dict[str, Any]) -> None:
    differ = sorted(
        c["name"]
        for c in km_median_reference["cases"]
        for k in c["curves"]
        if k["table"] != k["quantile_survfit"]
    )
    assert differ == [
        "aml/log/pooled",
        "flat_half_at_end/log-log/pooled",
        "flat_half_at_end/log/pooled",
        "flat_half_at_end/plain/pooled",
    ]
    assert len(km_median_reference["cases"]) >= 30


@pytest.mark.parametrize("name", ["lung/log-log/by_group", "veteran/plain/pooled"])
def test_other_sets_follow_the_table(
    km_median_reference: dict[str, Any], datasets: dict[str, Any], name: str
) -> None:
    case = _case(km_median_reference, name)
    for fit, ref in zip(_fits(case, datasets), case["curves"], strict=True):
        got = [np.nan if v is None else v for v in (fit.median, *fit.median_ci)]
        want = [np.nan if v is None else v for v in ref["table"]]
        np.testing.assert_allclose(got, want, rtol=1e-12)
