"""Parametric time-to-event models used to draw synthetic outcomes.

Two families, both sampled by inversion of the cumulative hazard so that one uniform
draw gives one time (reproducible from the passed generator):

* piecewise-exponential: constant hazard ``hazards[k]`` on ``[breaks[k], breaks[k+1])``,
  the last piece open-ended. Fitting pieces through published landmark survival values
  (median, 6- and 12-month survival) reproduces them exactly.
* Weibull: ``S(t) = exp(-(t / scale) ** shape)``, parametrised here by the median.

Times are in months (30.4375 days), as the published curves are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class PiecewiseExponential:
    """Constant hazard per piece; ``breaks[0]`` must be 0."""

    breaks: tuple[float, ...]
    hazards: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.breaks) != len(self.hazards) or not self.breaks or self.breaks[0] != 0.0:
            raise ValueError("breaks must start at 0 and match hazards in length")
        if any(self.breaks[i + 1] <= self.breaks[i] for i in range(len(self.breaks) - 1)):
            raise ValueError("breaks must increase")
        if any(h < 0 for h in self.hazards):
            raise ValueError("hazards must be non-negative")

    @classmethod
    def through_landmarks(
        cls, landmarks: Sequence[tuple[float, float]], tail_hazard: float
    ) -> PiecewiseExponential:
        """Pieces passing exactly through ``(time, survival)`` landmarks, then ``tail_hazard``."""
        points = sorted(landmarks)
        breaks = [0.0]
        hazards: list[float] = []
        t_prev, s_prev = 0.0, 1.0
        for t, s in points:
            if not (t > t_prev and 0.0 < s < s_prev):
                raise ValueError("landmarks must increase in time and decrease in survival")
            hazards.append(math.log(s_prev / s) / (t - t_prev))
            breaks.append(t)
            t_prev, s_prev = t, s
        hazards.append(tail_hazard)
        return cls(tuple(float(b) for b in breaks), tuple(hazards))

    def scaled(self, hazard_ratio: float) -> PiecewiseExponential:
        """The same shape with every hazard multiplied (proportional hazards)."""
        return PiecewiseExponential(self.breaks, tuple(h * hazard_ratio for h in self.hazards))

    def cumulative_hazard(self, t: npt.ArrayLike) -> FloatArray:
        tt = np.asarray(t, dtype=np.float64)
        b = np.asarray((*self.breaks, np.inf))
        h = np.asarray(self.hazards)
        width = np.clip(tt[..., None] - b[:-1], 0.0, np.diff(b))
        return np.asarray(np.sum(width * h, axis=-1), dtype=np.float64)

    def survival(self, t: npt.ArrayLike) -> FloatArray:
        return np.exp(-self.cumulative_hazard(t))

    def quantile_time(self, survival: float) -> float:
        """Time at which S(t) equals ``survival`` (e.g. 0.5 for the median)."""
        return float(self.inverse_cumulative_hazard(np.array([-math.log(survival)]))[0])

    def inverse_cumulative_hazard(self, target: FloatArray) -> FloatArray:
        b = np.asarray(self.breaks, dtype=np.float64)
        h = np.asarray(self.hazards, dtype=np.float64)
        cum_at_breaks = np.concatenate([[0.0], np.cumsum(h[:-1] * np.diff(b))])
        k = np.searchsorted(cum_at_breaks, target, side="right") - 1
        with np.errstate(divide="ignore", invalid="ignore"):
            extra = np.where(h[k] > 0, (target - cum_at_breaks[k]) / h[k], np.inf)
        return np.asarray(b[k] + extra, dtype=np.float64)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        return self.inverse_cumulative_hazard(rng.exponential(1.0, size))


@dataclass(frozen=True)
class Weibull:
    """``S(t) = exp(-(t/scale)^shape)``; build with :meth:`from_median`."""

    shape: float
    scale: float

    @classmethod
    def from_median(cls, median: float, shape: float) -> Weibull:
        return cls(shape, median / math.log(2.0) ** (1.0 / shape))

    @property
    def median(self) -> float:
        return float(self.scale * math.log(2.0) ** (1.0 / self.shape))

    def survival(self, t: npt.ArrayLike) -> FloatArray:
        tt = np.asarray(t, dtype=np.float64)
        return np.asarray(np.exp(-((tt / self.scale) ** self.shape)), dtype=np.float64)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        e = rng.exponential(1.0, size)
        return np.asarray(self.scale * e ** (1.0 / self.shape), dtype=np.float64)
