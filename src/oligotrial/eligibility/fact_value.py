"""The value of a derived fact: a value, or :class:`Missing` naming the record fields whose
absence keeps it unknown, with the bounds every completion of the missing data respects
(see :mod:`oligotrial.eligibility.facts`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Missing:
    """A fact that cannot be derived; ``paths`` are the record fields it needs.

    For a number, ``low``/``high`` bound every value the missing data could give
    (unbounded by default); for a category, ``possible`` lists the values it could take
    (None: any).
    """

    paths: tuple[str, ...]
    low: float = -math.inf
    high: float = math.inf
    possible: frozenset[str] | None = None


FactValue = Any  # float | int | bool | str | Missing
Settings = Mapping[str, Any]  # the protocol's screening settings


def need(**values: Any) -> Missing | None:
    """Missing naming the absent values (``a__b`` for the path ``a.b``), or None."""
    absent = tuple(path.replace("__", ".") for path, v in values.items() if v is None)
    return Missing(absent) if absent else None
