"""Binomial proportions: Clopper-Pearson interval; Miettinen-Nurminen interval for a difference.

Sources:
- Clopper & Pearson (1934): limits are Beta quantiles, ``Beta(a/2; x, n-x+1)`` and
  ``Beta(1-a/2; x+1, n-x)``, with 0 and 1 at ``x = 0`` and ``x = n`` (R's ``binom.test``).
- Miettinen & Nurminen (1985), Stat Med 4:213-226: the interval for ``d = p1 - p2`` is the
  set of ``d`` with ``(p1^ - p2^ - d)^2 / V(d) <= z^2``, where
  ``V(d) = (p1~(1-p1~)/n1 + p2~(1-p2~)/n2) * N / (N - 1)`` and ``p1~``, ``p2~ = p1~ - d`` are
  the maximum-likelihood estimates restricted to ``p1 - p2 = d`` (closed-form root of a
  cubic, Miettinen & Nurminen's appendix; Farrington & Manning 1990). Without the
  ``N / (N - 1)`` factor this is Mee's (1984) interval. Limits are found by bracketing root
  search to 1e-12.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy import stats as sps

from oligotrial.errors import InputError
from oligotrial.stats._validate import as_conf_level


@dataclass(frozen=True)
class ProportionCI:
    """A proportion ``x / n`` with its confidence interval."""

    estimate: float
    lower: float
    upper: float
    conf_level: float


@dataclass(frozen=True)
class DifferenceCI:
    """A difference of proportions ``x1/n1 - x2/n2`` with its confidence interval."""

    estimate: float
    lower: float
    upper: float
    conf_level: float


def _counts(x: int, n: int, xname: str, nname: str) -> tuple[int, int]:
    for name, value in ((xname, x), (nname, n)):
        if isinstance(value, bool) or not float(value).is_integer():
            raise InputError(name, f"must be a whole number, got {value!r}")
    xi, ni = int(x), int(n)
    if ni < 1:
        raise InputError(nname, f"must be at least 1, got {n!r}")
    if not 0 <= xi <= ni:
        raise InputError(xname, f"must lie between 0 and {nname} ({ni}), got {x!r}")
    return xi, ni


def clopper_pearson(x: int, n: int, *, conf_level: float = 0.95) -> ProportionCI:
    """Exact (Clopper-Pearson) interval for a binomial proportion."""
    xi, ni = _counts(x, n, "x", "n")
    level = as_conf_level(conf_level)
    alpha = 1.0 - level
    lower = 0.0 if xi == 0 else float(sps.beta.ppf(alpha / 2.0, xi, ni - xi + 1))
    upper = 1.0 if xi == ni else float(sps.beta.ppf(1.0 - alpha / 2.0, xi + 1, ni - xi))
    return ProportionCI(estimate=xi / ni, lower=lower, upper=upper, conf_level=level)


def _restricted_mle(x1: int, n1: int, x2: int, n2: int, d: float) -> tuple[float, float]:
    """MLE of (p1, p2) subject to p1 - p2 = d (Miettinen & Nurminen 1985, appendix)."""
    theta = n2 / n1
    a = 1.0 + theta
    b = -(1.0 + theta + x1 / n1 + theta * (x2 / n2) + d * (theta + 2.0))
    c = d * d + d * (2.0 * x1 / n1 + theta + 1.0) + x1 / n1 + theta * (x2 / n2)
    c_ = -(x1 / n1) * d * (1.0 + d)
    v = b**3 / (27.0 * a**3) - b * c / (6.0 * a * a) + c_ / (2.0 * a)
    u = math.copysign(1.0, v) * math.sqrt(max(b * b / (9.0 * a * a) - c / (3.0 * a), 0.0))
    ratio = 0.0 if u == 0 else v / u**3
    w = (math.pi + math.acos(max(-1.0, min(1.0, ratio)))) / 3.0
    p1 = 2.0 * u * math.cos(w) - b / (3.0 * a)
    p1 = min(max(p1, 0.0), 1.0)
    p2 = min(max(p1 - d, 0.0), 1.0)
    return p1, p2


def _score(x1: int, n1: int, x2: int, n2: int, d: float, correction: bool) -> float:
    """Signed score statistic ``(p1^ - p2^ - d) / sqrt(V(d))``."""
    p1, p2 = _restricted_mle(x1, n1, x2, n2, d)
    var = p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2
    if correction:
        big_n = n1 + n2
        var *= big_n / (big_n - 1.0)
    diff = x1 / n1 - x2 / n2 - d
    if var <= 0:
        return 0.0 if diff == 0 else math.copysign(np.inf, diff)
    return diff / math.sqrt(var)


def miettinen_nurminen(
    x1: int,
    n1: int,
    x2: int,
    n2: int,
    *,
    conf_level: float = 0.95,
    correction: bool = True,
) -> DifferenceCI:
    """Score interval for ``x1/n1 - x2/n2``; ``correction=False`` gives Mee's interval."""
    a1, m1 = _counts(x1, n1, "x1", "n1")
    a2, m2 = _counts(x2, n2, "x2", "n2")
    if correction and m1 + m2 < 2:
        raise InputError("n1", "n1 + n2 must be at least 2")
    level = as_conf_level(conf_level)
    z = float(sps.norm.ppf(1.0 - (1.0 - level) / 2.0))
    est = a1 / m1 - a2 / m2

    def f(d: float, target: float) -> float:
        return _score(a1, m1, a2, m2, d, correction) - target

    # score decreases in d from +inf (d -> -1) to -inf (d -> +1)
    lo_edge, hi_edge = -1.0 + 1e-15, 1.0 - 1e-15
    lower, upper = -1.0, 1.0
    if f(lo_edge, z) > 0:
        lower = optimize.brentq(f, lo_edge, est, args=(z,), xtol=1e-14, rtol=1e-15)
    if f(hi_edge, -z) < 0:
        upper = optimize.brentq(f, est, hi_edge, args=(-z,), xtol=1e-14, rtol=1e-15)
    return DifferenceCI(estimate=est, lower=float(lower), upper=float(upper), conf_level=level)
