"""Lab values in canonical units, each distinct (analyte, value, unit) converted once.

The conversion is the clinical unit table's (:func:`oligotrial.clinical.units.to_canonical`);
reading the unit text is most of its cost, and a batch of records repeats a handful of
units and, at laboratory precision, a modest number of values. ``typed``: ``1`` and
``1.0`` are cached apart, so a cached answer is always the one the table gives.
"""

from __future__ import annotations

import functools

from oligotrial.clinical.units import to_canonical


@functools.lru_cache(maxsize=1 << 15, typed=True)
def canonical(analyte: str, value: float, unit: str | None, field: str = "") -> float:
    """``to_canonical(analyte, value, unit, field=field)``, remembered."""
    return to_canonical(analyte, value, unit, field=field)
