"""Survival statistics matching R's survival package: Kaplan-Meier, log-rank, RMST, binomial.

Public API (results are frozen dataclasses):

- :func:`kaplan_meier`, :func:`kaplan_meier_by_group` — Kaplan-Meier with Greenwood SE,
  log / log-log / plain intervals, quantiles with R's midpoint rule.
- :func:`logrank_test` — k-group log-rank, stratified or not, Fleming-Harrington weights.
- :func:`rmst` — restricted mean survival time per group and the difference.
- :func:`clopper_pearson`, :func:`miettinen_nurminen` — binomial intervals.
- :func:`logrank_batched`, :func:`kaplan_meier_batched` — over ``(trials, patients)`` arrays.
"""

from __future__ import annotations

from oligotrial.stats.binomial import (
    DifferenceCI,
    ProportionCI,
    clopper_pearson,
    miettinen_nurminen,
)
from oligotrial.stats.kaplan_meier import KaplanMeier, kaplan_meier, kaplan_meier_by_group
from oligotrial.stats.km_batched import BatchedKaplanMeier, kaplan_meier_batched
from oligotrial.stats.logrank import LogrankResult, logrank_test
from oligotrial.stats.logrank_batched import BatchedLogrank, logrank_batched
from oligotrial.stats.rmst import RmstDifference, RmstEstimate, RmstResult, rmst

__all__ = [
    "BatchedKaplanMeier",
    "BatchedLogrank",
    "DifferenceCI",
    "KaplanMeier",
    "LogrankResult",
    "ProportionCI",
    "RmstDifference",
    "RmstEstimate",
    "RmstResult",
    "clopper_pearson",
    "kaplan_meier",
    "kaplan_meier_batched",
    "kaplan_meier_by_group",
    "logrank_batched",
    "logrank_test",
    "miettinen_nurminen",
    "rmst",
]
