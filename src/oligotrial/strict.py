"""Strict field types for input models (records, assessments): a value is what it says.

JSON ``true`` is not a count of 1 nor a diameter of 1 mm, the text ``"30"`` is not a
number, ``30`` is not a date, and NaN or infinity is no measurement (each refused with its
own message). A JSON integer is a valid ``Number`` (``30`` for 30.0 mm).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import AfterValidator, AllowInfNan, BeforeValidator, Strict, StrictBool, StrictInt


def not_finite(value: float) -> str:
    """The refusal of a NaN or infinite number, naming which."""
    if math.isnan(value):
        return "must be a finite number, not NaN"
    return f"must be a finite number, not {'-' if value < 0 else ''}infinity"


def finite(value: float) -> float:
    """Refuse NaN and infinity, naming which."""
    if math.isfinite(value):
        return value
    raise ValueError(not_finite(value))


def _date_given_as_date(value: Any) -> Any:
    if isinstance(value, str) or (
        isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    ):
        return value
    raise ValueError(f"a date is text YYYY-MM-DD, got {value!r}")


Number = Annotated[float, Strict(), AfterValidator(finite)]
# The same number checked entirely by pydantic's core (range constraints too), for models
# validated many times over: its NaN or infinity refusal is pydantic's ``finite_number``
# error, which the model's reader words with :func:`not_finite`.
FiniteNumber = Annotated[float, Strict(), AllowInfNan(False)]
Integer = StrictInt
Flag = StrictBool
Day = Annotated[dt.date, BeforeValidator(_date_given_as_date)]

__all__ = ["Day", "FiniteNumber", "Flag", "Integer", "Number", "finite", "not_finite"]
