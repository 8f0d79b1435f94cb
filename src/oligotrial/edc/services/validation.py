"""Turning Django field validation and domain checks into messages a coordinator can act on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from oligotrial.errors import InputError


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


def require_date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InputError(field, "give a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(field, f"{value!r} is not a date (YYYY-MM-DD)") from None
    raise InputError(field, "a date (YYYY-MM-DD) is required")


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
