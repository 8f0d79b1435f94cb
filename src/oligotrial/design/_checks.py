"""Argument checks shared by the design modules: each failure names the argument."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from oligotrial.errors import InputError


def finite(name: str, value: float) -> float:
    """Return ``value`` as a float, refusing NaN and infinities."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(name, f"must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise InputError(name, f"must be finite, got {value!r}")
    return x


def positive(name: str, value: float) -> float:
    """A finite number > 0."""
    x = finite(name, value)
    if x <= 0:
        raise InputError(name, f"must be > 0, got {value!r}")
    return x


def non_negative(name: str, value: float) -> float:
    """A finite number >= 0."""
    x = finite(name, value)
    if x < 0:
        raise InputError(name, f"must be >= 0, got {value!r}")
    return x


def open_unit(name: str, value: float) -> float:
    """A number strictly between 0 and 1."""
    x = finite(name, value)
    if not 0 < x < 1:
        raise InputError(name, f"must lie strictly between 0 and 1, got {value!r}")
    return x


def rate(name: str, value: float) -> float:
    """A proportion in [0, 1)."""
    x = finite(name, value)
    if not 0 <= x < 1:
        raise InputError(name, f"must lie in [0, 1), got {value!r}")
    return x


def sides(value: int) -> int:
    """1 or 2."""
    if value not in (1, 2):
        raise InputError("sides", f"must be 1 or 2, got {value!r}")
    return int(value)


def hazard_ratio(value: float, name: str = "hazard_ratio") -> float:
    """A hazard ratio: > 0 and not 1 (no effect gives no finite sample size)."""
    x = positive(name, value)
    if x == 1:
        raise InputError(name, "must differ from 1 (no effect to detect)")
    return x


def information_fractions(values: Sequence[float], name: str = "information") -> tuple[float, ...]:
    """Strictly increasing fractions in (0, 1], the last equal to 1."""
    if len(values) == 0:
        raise InputError(name, "needs at least one value")
    fr = tuple(finite(name, v) for v in values)
    if any(v <= 0 for v in fr):
        raise InputError(name, f"fractions must be > 0, got {list(fr)}")
    if any(b <= a for a, b in itertools.pairwise(fr)):
        raise InputError(name, f"fractions must be strictly increasing, got {list(fr)}")
    if abs(fr[-1] - 1.0) > 1e-12:
        raise InputError(name, f"the last fraction must be 1, got {fr[-1]}")
    return (*fr[:-1], 1.0)
