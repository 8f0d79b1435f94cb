"""Survival statistics matching R's survival package: Kaplan-Meier, log-rank, RMST, binomial.

Public API (results are frozen dataclasses):

- :func:`logrank_test` — k-group log-rank, stratified or not, Fleming-Harrington weights.
- :func:`logrank_batched` — two-group log-rank over ``(trials, patients)`` arrays.
"""

from __future__ import annotations

from oligotrial.stats.logrank import LogrankResult, logrank_test
from oligotrial.stats.logrank_batched import BatchedLogrank, logrank_batched

__all__ = [
    "BatchedLogrank",
    "LogrankResult",
    "logrank_batched",
    "logrank_test",
]
