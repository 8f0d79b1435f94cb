"""Group-sequential designs with Lan-DeMets alpha spending.

Efficacy bounds are found look by look so that the probability of first crossing at
look k under H0 equals the alpha spent between t_{k-1} and t_k (Lan & DeMets 1983);
probabilities come from recursive numerical integration (``recursive_integration``).
Two-sided designs have symmetric bounds and spend the two-sided total. The inflation
factor is the drift^2 giving the requested power divided by the fixed-design drift^2
``(z_{1-alpha/sides} + z_{1-beta})^2``; power counts crossings of the upper (benefit)
bound only, as rpact's ``getDesignCharacteristics`` does with ``twoSidedPower = FALSE``.

Optional futility bounds (one-sided designs only) are non-binding fixed z-values: they do
not change the efficacy bounds but enter power, inflation factor and expected sample
size, as in rpact with ``bindingFutility = FALSE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri

from oligotrial.design import _checks
from oligotrial.design.recursive_integration import crossing_probabilities
from oligotrial.design.spending import Spending, alpha_spent, check_spending
from oligotrial.errors import InputError

_MAX_Z = 8.0  # a bound above this spends nothing measurable (rpact uses the same cap)


@dataclass(frozen=True)
class GroupSequentialDesign:
    """A group-sequential design and its operating characteristics under H0 and H1."""

    spending: str
    alpha: float
    sides: int
    power: float
    information: tuple[float, ...]
    z: tuple[float, ...]  # efficacy bounds on the z scale (upper; symmetric if two-sided)
    cumulative_alpha: tuple[float, ...]  # alpha spent up to each look (spending function)
    nominal_p: tuple[float, ...]  # one-sided nominal p-value of each bound
    futility: tuple[float, ...] | None  # non-binding futility z-bounds at looks 1..K-1
    fixed_drift2: float  # (z_{1-alpha/sides} + z_{1-beta})^2
    drift2: float  # drift^2 giving the power with these bounds ("shift" in rpact)
    inflation_factor: float
    reject_h1: tuple[float, ...]  # probability of stopping for efficacy at each look, H1
    futility_h1: tuple[float, ...]  # probability of stopping for futility at each look, H1
    expected_information_h1: float  # expected information / fixed-design information
    expected_information_h0: float
    expected_information_h01: float  # at half the planned drift

    @property
    def looks(self) -> int:
        return len(self.information)


def _bounds(t: NDArray[np.float64], spent: NDArray[np.float64], sides: int) -> NDArray[np.float64]:
    k_max = t.size
    z = np.full(k_max, np.inf)
    increments = np.diff(np.concatenate(([0.0], spent)))
    for k in range(k_max):
        target = increments[k]
        if k == 0:
            z[0] = min(float(ndtri(1.0 - target / sides)), _MAX_Z) if target > 0 else _MAX_Z
            continue

        def excess(c: float, k: int = k, target: float = target) -> float:
            zz = z[: k + 1].copy()
            zz[k] = c
            lower = -zz if sides == 2 else np.full(k + 1, -np.inf)
            cr = crossing_probabilities(zz, lower, t[: k + 1])
            return float(cr.upper[k] + cr.lower[k]) - target

        if target <= 0 or excess(_MAX_Z) >= 0:
            z[k] = _MAX_Z
        else:
            z[k] = brentq(excess, 0.0, _MAX_Z, xtol=1e-12, rtol=1e-13)
    return z


def group_sequential_design(
    spending: str = "obrien-fleming",
    information: Sequence[float] = (1.0,),
    alpha: float = 0.05,
    sides: int = 2,
    power: float = 0.9,
    gamma: float = -4.0,
    futility: Sequence[float] | None = None,
    futility_spending: str | None = None,
    futility_gamma: float = -4.0,
) -> GroupSequentialDesign:
    """Compute efficacy bounds, cumulative alpha and the inflation factor.

    ``gamma`` is the Hwang-Shih-DeCani parameter; ``futility`` holds non-binding z-bounds
    for looks 1..K-1 (one-sided designs only; use -inf for "no bound at this look");
    ``futility_spending`` instead derives them from a beta-spending function
    (``futility_spending.py``).
    """
    kind: Spending = check_spending(spending)
    t_tuple = _checks.information_fractions(information)
    alpha = _checks.open_unit("alpha", alpha)
    power = _checks.open_unit("power", power)
    sides = _checks.sides(sides)
    if sides == 2 and alpha >= 1:
        raise InputError("alpha", "must be < 1")
    if power <= alpha / sides:
        raise InputError("power", f"must exceed alpha/sides = {alpha / sides}")
    t = np.array(t_tuple)
    k_max = t.size
    fut = None
    if futility is not None and len(futility) > 0:
        if sides != 1:
            raise InputError("futility", "futility bounds are supported for one-sided designs only")
        if len(futility) != k_max - 1:
            raise InputError("futility", f"needs {k_max - 1} values (one per interim look)")
        fut = tuple(float(f) for f in futility)
    spent = alpha_spent(kind, t, alpha, sides, gamma) if k_max > 1 else np.array([alpha])
    spent[-1] = alpha
    z = _bounds(t, spent, sides)
    if futility_spending is not None:
        if sides != 1:
            raise InputError(
                "futility_spending", "futility bounds are supported for one-sided designs only"
            )
        if fut is not None:
            raise InputError("futility_spending", "give futility bounds or a spending, not both")
        from oligotrial.design.futility_spending import beta_spending_futility

        fut, _ = beta_spending_futility(z, t, power, futility_spending, futility_gamma)

    def lower_bounds(drift: float) -> NDArray[np.float64]:
        if sides == 2:
            return -z
        low = np.full(k_max, -np.inf)
        if fut is not None:
            low[:-1] = np.minimum(np.array(fut), z[:-1])
        del drift
        return low

    fixed = float((ndtri(1 - alpha / sides) + ndtri(power)) ** 2)

    def reject_power(d2: float) -> float:
        cr = crossing_probabilities(z, lower_bounds(0.0), t, drift=float(np.sqrt(d2)))
        return float(cr.upper.sum())

    if k_max == 1:
        drift2 = fixed
    else:
        drift2 = brentq(lambda d2: reject_power(d2) - power, 0.0, 4.0 * fixed, xtol=1e-12)
    h1 = crossing_probabilities(z, lower_bounds(0.0), t, drift=float(np.sqrt(drift2)))
    low_stop_h1 = h1.lower if sides == 1 else np.zeros(k_max)

    def expected_info(drift: float) -> float:
        cr = crossing_probabilities(z, lower_bounds(0.0), t, drift=drift)
        stop = cr.upper[:-1] + cr.lower[:-1]
        return float((drift2 - np.sum(stop * (1.0 - t[:-1]) * drift2)) / fixed)

    return GroupSequentialDesign(
        spending=kind,
        alpha=alpha,
        sides=sides,
        power=power,
        information=t_tuple,
        z=tuple(float(v) for v in z),
        cumulative_alpha=tuple(float(v) for v in spent),
        nominal_p=tuple(float(v) for v in ndtr(-z)),
        futility=fut,
        fixed_drift2=fixed,
        drift2=float(drift2),
        inflation_factor=float(drift2 / fixed),
        reject_h1=tuple(float(v) for v in h1.upper),
        futility_h1=tuple(float(v) for v in low_stop_h1),
        expected_information_h1=expected_info(float(np.sqrt(drift2))),
        expected_information_h0=expected_info(0.0),
        expected_information_h01=expected_info(float(np.sqrt(drift2)) / 2.0),
    )
