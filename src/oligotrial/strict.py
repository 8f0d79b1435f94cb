"""Strict field types for input models (records, assessments): a value is what it says.

JSON ``true`` is not a count of 1 nor a diameter of 1 mm, the text ``"30"`` is not a
number, ``30`` is not a date, and NaN or infinity is no measurement (each refused with its
own message). A JSON integer is a valid ``Number`` (``30`` for 30.0 mm).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import AfterValidator, AllowInfNan, Strict, StrictBool, StrictInt
from pydantic_core import core_schema


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


class _DateText:
    """A date given as text ``YYYY-MM-DD`` (or as a date, not a datetime), checked wholly by
    pydantic's core: a record has about twenty dates, and a Python check of each was a
    call per date. Anything else is the error ``date_text``, "a date is text YYYY-MM-DD"
    (readers add the value given); text that is no date is pydantic's own date error."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        given = core_schema.union_schema(
            [
                core_schema.str_schema(strict=True, strip_whitespace=False),
                core_schema.date_schema(strict=True),  # a date, not a datetime
            ],
            custom_error_type="date_text",
            custom_error_message=DATE_TEXT,
            mode="left_to_right",
        )
        return core_schema.chain_schema([given, core_schema.date_schema()])

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        return handler(core_schema.date_schema())


DATE_TEXT = "a date is text YYYY-MM-DD"
Number = Annotated[float, Strict(), AfterValidator(finite)]
# The same number checked entirely by pydantic's core (range constraints too), for models
# validated many times over: its NaN or infinity refusal is pydantic's ``finite_number``
# error, which the model's reader words with :func:`not_finite`.
FiniteNumber = Annotated[float, Strict(), AllowInfNan(False)]
Integer = StrictInt
Flag = StrictBool
Day = Annotated[dt.date, _DateText]

__all__ = ["DATE_TEXT", "Day", "FiniteNumber", "Flag", "Integer", "Number", "finite", "not_finite"]
