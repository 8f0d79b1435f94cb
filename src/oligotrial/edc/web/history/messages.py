"""A service's refusal shown at the form field it names, in the user's language where the
catalogue has the message (the service's own words otherwise)."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext, gettext_noop

from oligotrial.errors import InputError, OligotrialError

#: services' messages without variable parts, in the catalogue so that they are translated
SERVICE_MESSAGES = (
    gettext_noop("the new value equals the recorded one"),
    gettext_noop("is required"),
    gettext_noop("a value is required"),
)


def add_service_error(
    form: forms.Form,
    exc: OligotrialError,
    fields: Iterable[str],
    rename: dict[str, str] | None = None,
) -> None:
    """Put ``exc``'s message on the form field it names (a dotted path's last part, or the
    name in ``rename``), else above the form."""
    if isinstance(exc, InputError):
        name = exc.field.rsplit(".", 1)[-1]
        name = (rename or {}).get(name, name)
        target = name if name in set(fields) and name in form.fields else None
        form.add_error(target, gettext(exc.problem))
    else:
        form.add_error(None, gettext(str(exc)))
