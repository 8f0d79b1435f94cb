"""Strict field types for input models (records, assessments): a value is what it says.

JSON ``true`` is not a count of 1 nor a diameter of 1 mm, the text ``"30"`` is not a
number, ``30`` is not a date, and NaN or infinity is no measurement (each refused with its
own message). A JSON integer is a valid ``Number`` (``30`` for 30.0 mm).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Strict, StrictBool, StrictInt


def finite(value: float) -> float:
    """Refuse NaN and infinity, naming which."""
    if math.isfinite(value):
        return value
    if math.isnan(value):
        raise ValueError("must be a finite number, not NaN")
    if math.isinf(value):
        raise ValueError(f"must be a finite number, not {'-' if value < 0 else ''}infinity")
    return value


def _date_given_as_date(value: Any) -> Any:
    if isinstance(value, str) or (
        isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    ):
        return value
    raise ValueError(f"a date is text YYYY-MM-DD, got {value!r}")


Number = Annotated[float, Strict(), AfterValidator(finite)]
Integer = StrictInt
Flag = StrictBool
Day = Annotated[dt.date, BeforeValidator(_date_given_as_date)]

__all__ = ["Day", "Flag", "Integer", "Number", "finite"]
