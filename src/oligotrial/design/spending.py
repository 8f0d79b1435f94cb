"""Lan-DeMets alpha-spending functions.

Lan & DeMets (Biometrika 1983); Hwang, Shih & DeCani (Stat Med 1990). The definitions
follow rpact's conventions (``getDesignGroupSequential``, ``typeOfDesign`` ``asOF``,
``asP``, ``asHSD``): for a design with ``sides`` sides and total level alpha,

* O'Brien-Fleming type: ``2 * sides * (1 - Phi(z_{1 - alpha / (2 * sides)} / sqrt(t)))``;
* Pocock type: ``alpha * log(1 + (e - 1) * t)``;
* Hwang-Shih-DeCani: ``alpha * (1 - exp(-gamma * t)) / (1 - exp(-gamma))`` (``alpha * t``
  when gamma is 0).

Each returns the cumulative (two-sided total when ``sides`` is 2) alpha spent at t.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr, ndtri

from oligotrial.errors import InputError

Spending = Literal["obrien-fleming", "pocock", "hwang-shih-decani"]
SPENDINGS: tuple[str, ...] = ("obrien-fleming", "pocock", "hwang-shih-decani")


def check_spending(name: str) -> Spending:
    """Validate a spending-function name."""
    if name not in SPENDINGS:
        raise InputError("spending", f"must be one of {', '.join(SPENDINGS)}, got {name!r}")
    return name  # type: ignore[return-value]


def alpha_spent(
    spending: Spending,
    t: ArrayLike,
    alpha: float,
    sides: int,
    gamma: float = -4.0,
) -> NDArray[np.float64]:
    """Cumulative alpha spent at information fractions ``t`` (0 < t <= 1)."""
    tt = np.asarray(t, dtype=np.float64)
    if spending == "obrien-fleming":
        z = float(ndtri(1.0 - alpha / (2.0 * sides)))
        out = 2.0 * sides * ndtr(-z / np.sqrt(tt))
    elif spending == "pocock":
        out = alpha * np.log1p((math.e - 1.0) * tt)
    elif spending == "hwang-shih-decani":
        out = alpha * tt if gamma == 0 else alpha * -np.expm1(-gamma * tt) / -math.expm1(-gamma)
    else:  # pragma: no cover - guarded by check_spending
        raise InputError("spending", f"unknown spending function {spending!r}")
    return np.asarray(out, dtype=np.float64)
