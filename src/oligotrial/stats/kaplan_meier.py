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

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np
from scipy import stats as sps

from oligotrial.errors import InputError
from oligotrial.stats._ties import block_starts, sort_and_fold
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
    z = float(sps.norm.ppf(1.0 - (1.0 - conf_level) / 2.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "plain":
            half = log_se * surv * z
            lower = np.maximum(surv - half, 0.0)
            upper = np.minimum(surv + half, 1.0)
            bad = np.isnan(half)
            lower[bad] = np.nan
            upper[bad] = np.nan
        elif conf_type == "log":
            xx = np.where(surv == 0, np.nan, surv)
            lower = np.exp(np.log(xx) - z * log_se)
            upper = np.minimum(np.exp(np.log(xx) + z * log_se), 1.0)
            upper[np.isnan(xx)] = np.nan
        elif conf_type == "log-log":
            xx = np.where((surv == 0) | (surv == 1), np.nan, surv)
            half = z * log_se / np.log(xx)
            lower = np.exp(-np.exp(np.log(-np.log(xx)) - half))
            upper = np.exp(-np.exp(np.log(-np.log(xx)) + half))
        else:
            raise InputError("conf_type", f"must be one of {', '.join(CONF_TYPES)}")
    return lower, upper


def km_from_sorted(
    time: FloatArray, event: BoolArray, conf_type: str, conf_level: float
) -> KaplanMeier:
    """Kaplan-Meier on times already sorted and folded for ties (shared by grouped forms)."""
    starts = block_starts(time)
    utimes = time[starts]
    n_event = np.add.reduceat(event.astype(np.float64), starts) if starts.size else np.zeros(0)
    n_total = np.diff(np.append(starts, time.shape[0])).astype(np.float64)
    n_risk = (time.shape[0] - starts).astype(np.float64)
    surv = np.cumprod((n_risk - n_event) / n_risk).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(n_event > 0, n_event / (n_risk * (n_risk - n_event)), 0.0)
        log_se = np.sqrt(np.cumsum(term))
        std_err = surv * log_se
    lower, upper = confidence_band(surv, log_se, conf_type, conf_level)
    return KaplanMeier(
        time=utimes,
        n_risk=n_risk,
        n_event=n_event,
        n_censor=n_total - n_event,
        survival=surv,
        std_err=std_err,
        log_std_err=log_se,
        lower=lower,
        upper=upper,
        conf_type=conf_type,
        conf_level=conf_level,
        n=int(time.shape[0]),
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
    order, folded = sort_and_fold(t)
    return km_from_sorted(folded, e[order], kind, level)


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
    order, folded = sort_and_fold(t)
    by_group = np.argsort(codes[order], kind="stable")  # keeps time order within groups
    folded, e, codes = folded[by_group], e[order][by_group], codes[order][by_group]
    edges = np.searchsorted(codes, np.arange(len(levels) + 1))
    return {
        label: km_from_sorted(
            folded[edges[i] : edges[i + 1]], e[edges[i] : edges[i + 1]], kind, level
        )
        for i, label in enumerate(levels)
    }
