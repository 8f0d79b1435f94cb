"""Event-time models for planning: piecewise-exponential hazards, accrual, dropout.

Conventions follow rpact (``getSampleSizeSurvival``/``getEventProbabilities``):
hazard from a median ``log(2) / median``; the treatment hazard is ``hazard_ratio`` times the
control hazard on every piece; dropout is exponential with rate
``-log(1 - dropout_rate) / dropout_time`` (a cumulative rate at ``dropout_time`` months,
12 by default); the probability that a subject has had an event by calendar time tau is
the sub-distribution function of the event in the presence of dropout, averaged over the
(piecewise-uniform) accrual density.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import quad

from oligotrial.design import _checks
from oligotrial.errors import InputError


def hazard_from_median(median: float, name: str = "control_median") -> float:
    """Exponential hazard with the given median."""
    return math.log(2.0) / _checks.positive(name, median)


def dropout_hazard(rate: float, time: float = 12.0) -> float:
    """Exponential dropout hazard from a cumulative dropout proportion at ``time``."""
    r = _checks.rate("dropout_rate", rate)
    return -math.log1p(-r) / _checks.positive("dropout_time", time)


@dataclass(frozen=True)
class PiecewiseExponential:
    """Hazard ``rates[j]`` on ``[starts[j], starts[j+1])``; ``starts[0] == 0``."""

    starts: tuple[float, ...]
    rates: tuple[float, ...]

    @staticmethod
    def build(
        rates: Sequence[float], starts: Sequence[float] | None = None, name: str = "control_hazard"
    ) -> PiecewiseExponential:
        rr = tuple(_checks.positive(name, r) for r in rates)
        ss = (
            (0.0,)
            if starts is None
            else tuple(_checks.non_negative("piecewise_times", s) for s in starts)
        )
        if len(ss) != len(rr):
            raise InputError("piecewise_times", f"needs {len(rr)} start times, got {len(ss)}")
        if ss[0] != 0 or any(b <= a for a, b in itertools.pairwise(ss)):
            raise InputError("piecewise_times", "must start at 0 and increase strictly")
        return PiecewiseExponential(ss, rr)

    def scaled(self, factor: float) -> PiecewiseExponential:
        """The same pieces with every hazard multiplied by ``factor``."""
        return PiecewiseExponential(self.starts, tuple(r * factor for r in self.rates))

    def cumulative_hazard(self, t: ArrayLike) -> NDArray[np.float64]:
        tt = np.asarray(t, dtype=np.float64)
        s = np.array(self.starts)
        r = np.array(self.rates)
        ends = np.append(s[1:], np.inf)
        exposure = np.clip(tt[..., None] - s, 0.0, ends - s)
        return np.asarray(exposure @ r, dtype=np.float64)

    def median(self) -> float:
        """Time at which the cumulative hazard reaches log 2."""
        return float(self.quantile_of_cumhaz(np.array([math.log(2.0)]))[0])

    def quantile_of_cumhaz(self, h: NDArray[np.float64]) -> NDArray[np.float64]:
        """Inverse cumulative hazard (the time at which Lambda(t) = h)."""
        s = np.array(self.starts)
        r = np.array(self.rates)
        knots = np.concatenate(([0.0], np.cumsum(r[:-1] * np.diff(s))))
        j = np.searchsorted(knots, h, side="right") - 1
        return np.asarray(s[j] + (h - knots[j]) / r[j], dtype=np.float64)

    def event_cdf(self, t: ArrayLike, dropout: float) -> NDArray[np.float64]:
        """P(event by t and before dropout) for one subject followed from time 0."""
        tt = np.asarray(t, dtype=np.float64)[..., None]
        s = np.array(self.starts)
        r = np.array(self.rates)
        ends = np.append(s[1:], np.inf)
        knots = np.concatenate(([0.0], np.cumsum(r[:-1] * np.diff(s))))
        total = r + dropout
        length = np.clip(tt - s, 0.0, ends - s)
        piece = r / total * np.exp(-knots - dropout * s) * -np.expm1(-total * length)
        return np.asarray(piece.sum(axis=-1), dtype=np.float64)


@dataclass(frozen=True)
class Accrual:
    """Piecewise-uniform accrual: relative ``intensity[j]`` on ``(ends[j-1], ends[j]]``."""

    ends: tuple[float, ...]
    intensity: tuple[float, ...]

    @staticmethod
    def uniform(months: float) -> Accrual:
        return Accrual((_checks.positive("accrual", months),), (1.0,))

    @staticmethod
    def piecewise(ends: Sequence[float], intensity: Sequence[float]) -> Accrual:
        ee = tuple(_checks.positive("accrual", e) for e in ends)
        ii = tuple(_checks.non_negative("accrual_intensity", v) for v in intensity)
        if len(ee) != len(ii) or not ee:
            raise InputError("accrual_intensity", "needs one intensity per accrual period")
        if any(b <= a for a, b in itertools.pairwise(ee)):
            raise InputError("accrual", "period ends must increase strictly")
        if sum(ii) <= 0:
            raise InputError("accrual_intensity", "at least one intensity must be > 0")
        return Accrual(ee, ii)

    @property
    def duration(self) -> float:
        return self.ends[-1]

    def _pieces(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        e = np.array(self.ends)
        b = np.concatenate(([0.0], e[:-1]))
        w = np.array(self.intensity)
        dens = w / float(np.sum(w * (e - b)))
        return b, e, dens

    def fraction_enrolled(self, tau: ArrayLike) -> NDArray[np.float64]:
        b, e, dens = self._pieces()
        tt = np.asarray(tau, dtype=np.float64)[..., None]
        return np.asarray((np.clip(tt - b, 0.0, e - b) * dens).sum(axis=-1), dtype=np.float64)

    def entry_quantile(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """Entry time with enrolled fraction ``u`` (inverse of ``fraction_enrolled``)."""
        if len(self.ends) == 1:
            return np.asarray(u * self.ends[0], dtype=np.float64)
        b, e, dens = self._pieces()
        cum = np.concatenate(([0.0], np.cumsum(dens * (e - b))))
        j = np.clip(np.searchsorted(cum, u, side="right") - 1, 0, len(b) - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = b[j] + (u - cum[j]) / dens[j]
        return np.asarray(np.where(dens[j] > 0, x, b[j]), dtype=np.float64)

    def event_probability(self, tau: float, model: PiecewiseExponential, dropout: float) -> float:
        """P(a subject enrolled under this accrual has an observed event by calendar tau)."""
        b, e, dens = self._pieces()
        total = 0.0
        for lo, hi, d in zip(b, e, dens, strict=True):
            if d == 0 or tau <= lo:
                continue
            top = min(hi, tau)
            # integrate over entry time u in (lo, top): F(tau - u)
            brk = [tau - s for s in model.starts if lo < tau - s < top]
            val, _ = quad(
                lambda u: float(model.event_cdf(tau - u, dropout)),
                lo,
                top,
                points=brk or None,
                epsabs=1e-13,
                epsrel=1e-12,
                limit=200,
            )
            total += d * val
        return total
