"""Non-binding futility bounds from a beta-spending function (one-sided designs).

As rpact's ``typeBetaSpending`` with ``bindingFutility = FALSE``: the efficacy bounds come
from alpha spending alone; for a drift theta, futility bound k is set so that the
probability under the alternative of stopping for futility by look k equals the beta
spent by t_k (look 1: ``Phi^-1(beta(t_1)) + theta sqrt(t_1)``); theta is then chosen so
that the last futility bound meets the last efficacy bound, which spends exactly beta
(Pampallona, Tsiatis & Kim 2001). Beta-spending functions are the alpha-spending
families applied to beta (O'Brien-Fleming type ``2 (1 - Phi(z_{1-beta/2} / sqrt(t)))``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.special import ndtri

from oligotrial.design.recursive_integration import crossing_probabilities
from oligotrial.design.spending import alpha_spent, check_spending
from oligotrial.errors import InputError


def _bounds_for_drift(
    theta: float, z: NDArray[np.float64], t: NDArray[np.float64], spent: NDArray[np.float64]
) -> NDArray[np.float64]:
    k_max = t.size
    f = np.full(k_max, -np.inf)
    f[0] = min(float(ndtri(spent[0])) + theta * np.sqrt(t[0]), z[0])
    for k in range(1, k_max):

        def excess(c: float, k: int = k) -> float:
            ff = f[: k + 1].copy()
            ff[k] = c
            cr = crossing_probabilities(z[: k + 1], ff, t[: k + 1], drift=theta)
            return float(cr.lower.sum() - spent[k])

        lo, hi = -8.0, (float(z[k]) if k < k_max - 1 else 8.0)
        if excess(hi) <= 0:
            f[k] = hi
        elif excess(lo) >= 0:
            f[k] = lo
        else:
            f[k] = brentq(excess, lo, hi, xtol=1e-12)
    return f


def beta_spending_futility(
    z: NDArray[np.float64],
    information: NDArray[np.float64],
    power: float,
    spending: str,
    gamma: float = -4.0,
) -> tuple[tuple[float, ...], float]:
    """Futility z-bounds at looks 1..K-1 and the drift at which they spend beta."""
    kind = check_spending(spending)
    t = np.asarray(information, dtype=np.float64)
    if t.size < 2:
        raise InputError("futility_spending", "needs at least one interim look")
    beta = 1.0 - power
    spent = alpha_spent(kind, t, beta, 1, gamma)
    spent[-1] = beta

    def gap(theta: float) -> float:
        return float(_bounds_for_drift(theta, z, t, spent)[-1] - z[-1])

    theta = brentq(gap, -4.0, 12.0, xtol=1e-12)
    f = _bounds_for_drift(theta, z, t, spent)
    return tuple(float(v) for v in f[:-1]), float(theta)
