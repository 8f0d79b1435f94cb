"""Strict service inputs, and Django field validation turned into messages a coordinator can
act on.

Types are checked before any rule, so a wrong type is an :class:`InputError` naming the field,
never a ``TypeError`` from deeper down: numbers are real numbers (not text, not ``True``) and
finite; whole numbers are integers (an AE grade 2.5 is refused, not stored as 2); texts
contain no NUL byte and no lone surrogate (neither can be stored in UTF-8 or PostgreSQL);
dates are dates or ISO texts, no earlier than :data:`EARLIEST_DATE`, and a date that records
something that happened is not after today.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from oligotrial.errors import InputError

#: No date in the trial database is earlier (birth dates included).
EARLIEST_DATE = dt.date(1901, 1, 1)


def today() -> dt.date:
    return timezone.now().date()


def clean(instance: models.Model, prefix: str, exclude: Iterable[str] = ()) -> None:
    """Run the model's field validation; raise one InputError naming every bad field."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        messages = exc.message_dict
        first = next(iter(messages), "")
        if len(messages) == 1:
            problem = " ".join(str(m) for m in messages[first])
        else:
            problem = "; ".join(
                f"{f}: {' '.join(str(m) for m in ms)}" for f, ms in messages.items()
            )
        raise InputError(f"{prefix}.{first}", problem) from None


def require_unique(instance: models.Model, prefix: str) -> None:
    """Refuse a record that would repeat one already stored (same patient and identifier)."""
    try:
        instance.validate_unique()
        instance.validate_constraints()
    except ValidationError:
        raise InputError(
            prefix,
            "this record already exists (same patient and identifier); "
            "correct the existing one instead",
        ) from None


def require_text(
    value: object, field: str, *, max_length: int | None = None, blank: bool = True
) -> str:
    """A text that can be stored: no NUL byte, no lone surrogate, within ``max_length``."""
    if not isinstance(value, str):
        raise InputError(field, f"text is required, got {type(value).__name__}")
    if "\x00" in value:
        raise InputError(field, "contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(field, "contains a character that is not valid Unicode") from None
    if max_length is not None and len(value) > max_length:
        raise InputError(field, f"is {len(value)} characters long; at most {max_length}")
    if not blank and not value.strip():
        raise InputError(field, "is required")
    return value


def require_storable_tree(value: object, field: str) -> None:
    """Every text inside a nested mapping/list can be stored (see :func:`require_text`);
    the first that cannot is named by its dotted path under ``field``."""
    if isinstance(value, str):
        require_text(value, field)
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            require_storable_tree(inner, f"{field}.{key}")
    elif isinstance(value, list | tuple):
        for i, inner in enumerate(value):
            require_storable_tree(inner, f"{field}.{i}")


def require_int(value: object, field: str) -> int:
    """A whole number given as an integer (not text, not ``True``, not 2.5 or 2.0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(field, f"a whole number is required, got {value!r}")
    return int(value)


def require_number(value: object, field: str) -> float:
    """A finite real number (an integer or a float; not text, not ``True``, not NaN/inf)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(field, f"a number is required, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise InputError(field, f"a finite number is required, got {value!r}")
    return number


def require_bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(field, f"true or false is required, got {value!r}")
    return value


def require_date(value: object, field: str) -> dt.date:
    """A date (or an ISO ``YYYY-MM-DD`` text) no earlier than :data:`EARLIEST_DATE`."""
    if isinstance(value, dt.datetime):
        raise InputError(field, "give a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, str):
        require_text(value, field)
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InputError(field, f"{value!r} is not a date (YYYY-MM-DD)") from None
    if not isinstance(value, dt.date):
        raise InputError(field, "a date (YYYY-MM-DD) is required")
    if value < EARLIEST_DATE:
        raise InputError(
            field, f"{value.isoformat()} is before {EARLIEST_DATE.isoformat()}; not plausible"
        )
    return value


def require_past_date(value: object, field: str) -> dt.date:
    """A date of something that happened: plausible and not in the future."""
    day = require_date(value, field)
    not_future(day, field)
    return day


def not_future(value: dt.date, field: str) -> None:
    if value > today():
        raise InputError(field, f"{value.isoformat()} is in the future")


def in_order(
    first: dt.date | None, second: dt.date | None, first_name: str, second_name: str
) -> None:
    if first is not None and second is not None and second < first:
        raise InputError(
            second_name, f"{second.isoformat()} is before {first_name} {first.isoformat()}"
        )


def in_range(
    value: float | int | None, low: float, high: float, field: str, unit: str = ""
) -> None:
    if value is None:
        return
    if not low <= value <= high:
        raise InputError(
            field,
            f"{value}{(' ' + unit) if unit else ''} is outside the "
            f"plausible range {low}–{high}{(' ' + unit) if unit else ''}",
        )


def field_value(field: models.Field[Any, Any], value: object, path: str) -> Any:
    """``value`` checked against the type of a model field (before any rule).

    ``None`` is accepted only where the field may be empty; dates must be in the past
    (every date entered records something that happened)."""
    if value is None:
        if not field.null:
            raise InputError(path, "a value is required")
        return None
    if isinstance(field, models.DateTimeField):
        raise InputError(path, "cannot be entered")
    if isinstance(field, models.DateField):
        return require_past_date(value, path)
    if isinstance(field, models.BooleanField):
        return require_bool(value, path)
    if isinstance(field, models.IntegerField):  # also BigIntegerField
        return require_int(value, path)
    if isinstance(field, models.FloatField):
        return require_number(value, path)
    if isinstance(field, models.CharField | models.TextField):
        return require_text(value, path, max_length=field.max_length)
    raise InputError(path, "cannot be entered here")
