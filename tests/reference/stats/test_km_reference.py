"""Kaplan-Meier curves, bands and quantiles agree with R survival (km_reference.R)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from oligotrial.stats import kaplan_meier, kaplan_meier_by_group

FIELDS = [
    ("time", "time"),
    ("n_risk", "n_risk"),
    ("n_event", "n_event"),
    ("n_censor", "n_censor"),
    ("survival", "surv"),
    ("log_std_err", "std_err_log"),
    ("std_err", "std_err"),
    ("lower", "lower"),
    ("upper", "upper"),
]


def _curves(case: dict[str, Any], datasets: dict[str, Any]) -> list[tuple[str, Any]]:
    data = datasets[case["dataset"]]
    kwargs = {"conf_type": case["conf_type"], "conf_level": case["conf_level"]}
    if not case["by_group"]:
        return [("all", kaplan_meier(data["time"], data["event"], **kwargs))]
    fits = kaplan_meier_by_group(data["time"], data["event"], np.array(data["group"]), **kwargs)
    return [(str(label), fit) for label, fit in fits.items()]


def test_curve_matches_r(
    km_case: dict[str, Any], datasets: dict[str, Any], match_r: Callable[..., None]
) -> None:
    ours = _curves(km_case, datasets)
    assert [label for label, _ in ours] == [c["label"] for c in km_case["curves"]]
    for (_, fit), ref in zip(ours, km_case["curves"], strict=True):
        for field, r_field in FIELDS:
            match_r(getattr(fit, field), ref[r_field], what=f"{ref['label']}.{field}")


def test_quantiles_match_r(
    km_case: dict[str, Any], datasets: dict[str, Any], match_r: Callable[..., None]
) -> None:
    for (_, fit), ref in zip(_curves(km_case, datasets), km_case["curves"], strict=True):
        got = [fit.quantile(p) for p in ref["quantile_p"]]
        match_r([q[0] for q in got], ref["quantile"], rtol=1e-12, what="quantile")
        match_r([q[1] for q in got], ref["quantile_lower"], rtol=1e-12, what="quantile lower")
        match_r([q[2] for q in got], ref["quantile_upper"], rtol=1e-12, what="quantile upper")
        # the median and its CI follow R's printed table (summary(fit)$table), which can
        # differ from quantile.survfit (see test_km_median_reference.py)
        median = [fit.median, *fit.median_ci]
        match_r(median, ref["print_median"], rtol=1e-12, what="median and CI")


def _pooled_log_case(reference: dict[str, Any], dataset: str) -> tuple[Any, dict[str, Any]]:
    case = next(c for c in reference["cases"] if c["name"] == f"{dataset}/log/pooled")
    return _curves(case, reference["datasets"])[0][1], case["curves"][0]


def test_median_on_flat_stretch_is_its_midpoint(km_reference: dict[str, Any]) -> None:
    fit, ref = _pooled_log_case(km_reference, "flat_half")  # S = 0.5 exactly on [3, 5)
    assert fit.median == ref["print_median"][0] == ref["quantile"][2] == pytest.approx(4.0)


def test_median_on_final_flat_stretch_is_its_start(km_reference: dict[str, Any]) -> None:
    fit, ref = _pooled_log_case(km_reference, "flat_half_at_end")  # S = 0.5 on [3, 6]
    assert fit.median == ref["print_median"][0] == pytest.approx(3.0)
    # quantile.survfit's midpoint up to the last time stays available as quantile(0.5)
    assert fit.quantile(0.5)[0] == ref["quantile"][2] == pytest.approx(4.5)
