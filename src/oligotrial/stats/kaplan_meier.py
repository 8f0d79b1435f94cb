"""Kaplan-Meier estimator with Greenwood variance and R survival's confidence intervals.

Source: Therneau, survival package (``survfit.formula``, ``survfit_confint``,
``survmean``, ``quantile.survfit``); Kaplan & Meier (1958); Greenwood (1926).

- Times within ``sqrt(eps)`` of each other are folded first (``aeqSurv``).
- One row per distinct time (censored times included): ``n_risk``, ``n_event``,
  ``n_censor``; ``survival = prod(1 - d/n)``.
- Greenwood: ``log_std_err = sqrt(sum d / (n (n - d)))`` is the standard error of
  ``log S`` (R's ``fit$std.err``; infinite once ``S`` reaches 0); ``std_err = S * log_std_err``
  is the standard error of ``S`` (R's ``summary(fit)$std.err``).
- Intervals at level ``conf_level`` with ``z = qnorm(1 - (1 - level) / 2)``:
  ``"log"`` (R's default) ``S exp(±z se)`` with the upper limit clipped at 1;
  ``"log-log"`` ``S^exp(±z se / log S)``; ``"plain"`` ``S (1 ± z se)`` clipped to [0, 1].
  Where R reports ``NA`` (``S = 0``; also ``S = 1`` for log-log) the limit is NaN.
- The median and its interval follow R's printed ``survfit`` table (``print(fit)``,
  ``summary(fit)$table``; :func:`.quantile.table_median`): a limit is the first time its
  band is at or below 0.5. Other quantiles (:meth:`KaplanMeier.quantile`) follow
  ``quantile.survfit`` (:func:`.quantile.curve_quantile`). ``None`` means "not reached"
  (for a limit: not estimable from the band).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numba
import numpy as np
from scipy import stats as sps

from oligotrial.errors import InputError
from oligotrial.stats._tally import tally, tally_sorted
from oligotrial.stats._validate import (
    BoolArray,
    FloatArray,
    as_conf_level,
    as_events,
    as_labels,
    as_times,
)
from oligotrial.stats.quantile import curve_quantile, table_median

ConfType = Literal["log", "log-log", "plain"]
CONF_TYPES: tuple[str, ...] = ("log", "log-log", "plain")


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan-Meier curve; arrays are indexed by distinct time (see module docstring)."""

    time: FloatArray
    n_risk: FloatArray
    n_event: FloatArray
    n_censor: FloatArray
    survival: FloatArray
    std_err: FloatArray
    log_std_err: FloatArray
    lower: FloatArray
    upper: FloatArray
    conf_type: str
    conf_level: float
    n: int

    def quantile(self, p: float) -> tuple[float | None, float | None, float | None]:
        """The ``p`` quantile of the event-time distribution and its CI (R's
        ``quantile.survfit``; for the median of the printed table use :attr:`median`)."""
        if not 0.0 <= p <= 1.0:
            raise InputError("p", f"must lie in [0, 1], got {p!r}")
        return (
            curve_quantile(p, self.time, self.survival),
            curve_quantile(p, self.time, self.lower),
            curve_quantile(p, self.time, self.upper),
        )

    @cached_property
    def _median(self) -> tuple[float | None, float | None, float | None]:
        return (
            table_median(self.time, self.survival),
            table_median(self.time, self.lower),
            table_median(self.time, self.upper),
        )

    @property
    def median(self) -> float | None:
        """Median survival time (R's printed table); ``None`` if the curve does not reach 0.5."""
        return self._median[0]

    @property
    def median_ci(self) -> tuple[float | None, float | None]:
        """Confidence interval of the median: where each band first reaches 0.5 (R's printed
        ``survfit`` table); ``None`` for a limit whose band never reaches 0.5."""
        return self._median[1], self._median[2]

    def survival_at(self, times: Any) -> FloatArray:
        """The curve evaluated at ``times`` (right-continuous step function, 1 before start)."""
        t = np.asarray(times, dtype=np.float64)
        index = np.searchsorted(self.time, t, side="right") - 1
        values = np.concatenate(([1.0], self.survival))
        out: FloatArray = values[index + 1]
        return out


def confidence_band(
    surv: FloatArray, log_se: FloatArray, conf_type: str, conf_level: float
) -> tuple[FloatArray, FloatArray]:
    """Pointwise limits of ``surv`` given the standard error of ``log S`` (R's rules)."""
    if conf_type not in CONF_TYPES:
        raise InputError("conf_type", f"must be one of {', '.join(CONF_TYPES)}")
    z = float(sps.norm.ppf(1.0 - (1.0 - conf_level) / 2.0))
    s = np.ascontiguousarray(surv, dtype=np.float64)
    se = np.ascontiguousarray(log_se, dtype=np.float64)
    lower, upper = _band(s.reshape(-1), se.reshape(-1), CONF_TYPES.index(conf_type), z)
    return lower.reshape(s.shape), upper.reshape(s.shape)


@numba.njit(cache=True, error_model="numpy")
def _limits(s: float, se: float, kind: int, z: float) -> tuple[float, float]:
    """Limits of one point; ``kind`` indexes ``CONF_TYPES``. NaN where R has NA; an upper
    limit above 1 is clipped (NaN stays NaN)."""
    if kind == 0:  # log
        if s == 0.0:
            return np.nan, np.nan
        log_s = math.log(s)
        up = math.exp(log_s + z * se)
        return math.exp(log_s - z * se), (1.0 if up > 1.0 else up)
    if kind == 1:  # log-log
        if s == 0.0 or s == 1.0:
            return np.nan, np.nan
        half = z * se / math.log(s)
        centre = math.log(-math.log(s))
        return math.exp(-math.exp(centre - half)), math.exp(-math.exp(centre + half))
    half = se * s * z  # plain
    if math.isnan(half):
        return np.nan, np.nan
    lo = s - half
    up = s + half
    return (0.0 if lo < 0.0 else lo), (1.0 if up > 1.0 else up)


@numba.njit(cache=True, error_model="numpy")
def _band(surv: FloatArray, se: FloatArray, kind: int, z: float) -> tuple[FloatArray, FloatArray]:
    m = surv.shape[0]
    lower = np.empty(m)
    upper = np.empty(m)
    for i in range(m):
        lower[i], upper[i] = _limits(surv[i], se[i], kind, z)
    return lower, upper


def km_from_sorted(
    time: FloatArray, event: BoolArray, conf_type: str, conf_level: float
) -> KaplanMeier:
    """Kaplan-Meier on times already sorted and folded for ties (shared by grouped forms)."""
    times, deaths, totals = tally_sorted(time, event)
    return km_from_tally(times, deaths[:, 0], totals[:, 0], conf_type, conf_level)


@numba.njit(cache=True, error_model="numpy")
def _steps(
    deaths: FloatArray, totals: FloatArray, kind: int, z: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """At risk, survival, Greenwood SE of log S, SE of S and the two limits: one pass."""
    m = deaths.shape[0]
    at_risk = 0.0
    for i in range(m):
        at_risk += totals[i]
    n_risk = np.empty(m)
    surv = np.empty(m)
    log_se = np.empty(m)
    std_err = np.empty(m)
    lower = np.empty(m)
    upper = np.empty(m)
    s = 1.0
    greenwood = 0.0
    for i in range(m):
        n, d = at_risk, deaths[i]
        n_risk[i] = n
        s = (n - d) / n if i == 0 else s * ((n - d) / n)
        if d > 0:
            greenwood += d / (n * (n - d))
        surv[i] = s
        log_se[i] = math.sqrt(greenwood)
        std_err[i] = s * log_se[i]
        lower[i], upper[i] = _limits(s, log_se[i], kind, z)
        at_risk -= totals[i]
    return n_risk, surv, log_se, std_err, lower, upper


def km_from_tally(
    times: FloatArray, deaths: FloatArray, totals: FloatArray, conf_type: str, conf_level: float
) -> KaplanMeier:
    """Kaplan-Meier from events and rows per distinct folded time (see ``_tally``)."""
    deaths = np.ascontiguousarray(deaths)
    totals = np.ascontiguousarray(totals)
    z = float(sps.norm.ppf(1.0 - (1.0 - conf_level) / 2.0))
    n_risk, surv, log_se, std_err, lower, upper = _steps(
        deaths, totals, CONF_TYPES.index(conf_type), z
    )
    return KaplanMeier(
        time=times,
        n_risk=n_risk,
        n_event=deaths,
        n_censor=totals - deaths,
        survival=surv,
        std_err=std_err,
        log_std_err=log_se,
        lower=lower,
        upper=upper,
        conf_type=conf_type,
        conf_level=conf_level,
        n=int(n_risk[0]) if n_risk.shape[0] else 0,
    )


def _check_conf_type(conf_type: str) -> str:
    if conf_type not in CONF_TYPES:
        raise InputError("conf_type", f"must be one of {', '.join(CONF_TYPES)}, got {conf_type!r}")
    return conf_type


def kaplan_meier(
    time: Any, event: Any, *, conf_type: ConfType = "log", conf_level: float = 0.95
) -> KaplanMeier:
    """Kaplan-Meier curve of one sample, as R's ``survfit(Surv(time, event) ~ 1)``."""
    t = as_times(time)
    e = as_events(event, t.shape)
    kind, level = _check_conf_type(conf_type), as_conf_level(conf_level)
    times, deaths, totals = tally(t, e)
    return km_from_tally(times, deaths[:, 0], totals[:, 0], kind, level)


def kaplan_meier_by_group(
    time: Any,
    event: Any,
    group: Any,
    *,
    conf_type: ConfType = "log",
    conf_level: float = 0.95,
) -> dict[Any, KaplanMeier]:
    """One curve per group (sorted labels), as R's ``survfit(Surv(time, event) ~ group)``.

    Ties are folded on the pooled times, as R does before splitting.
    """
    t = as_times(time)
    e = as_events(event, t.shape)
    levels, codes = as_labels(group, t.shape[0], "group")
    kind = _check_conf_type(conf_type)
    level = as_conf_level(conf_level)
    times, deaths, totals = tally(t, e, codes, len(levels))
    curves = {}
    for i, label in enumerate(levels):
        seen = totals[:, i] > 0
        curves[label] = km_from_tally(times[seen], deaths[seen, i], totals[seen, i], kind, level)
    return curves
