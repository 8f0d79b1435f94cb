"""Template tags of the web application: ``{% recorded record "field" notes number %}``
(see :mod:`oligotrial.edc.web.history.tags`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from oligotrial.edc.models import SERIOUSNESS_CRITERIA
from oligotrial.edc.web.history.messages import translated
from oligotrial.edc.web.history.reading import FieldNotes
from oligotrial.edc.web.history.tags import recorded_context
from oligotrial.edc.web.history.values import label_of, shown

register = template.Library()


@register.inclusion_tag("web/safety/_value.html", takes_context=True)
def recorded(
    context: Any,
    record: models.Model,
    name: str,
    notes: FieldNotes | None = None,
    screening_number: str = "",
) -> dict[str, Any]:
    return recorded_context(context, record, name, notes, screening_number)


@register.filter
def shown_value(value: Any) -> str:
    """A stored value as pages show it (ISO dates, yes/no, translated choices)."""
    return shown(value)


@register.filter
def message_text(text: str) -> str:
    """A service's or an edit check's message in the user's language where known."""
    return translated(text)


@register.simple_tag
def seriousness_criteria() -> tuple[str, ...]:
    """The adverse event's ICH E2A seriousness criteria (field names, in order)."""
    return SERIOUSNESS_CRITERIA


@register.filter
def field_label(name: str) -> str:
    """A record field's label in the user's language."""
    return str(label_of(name))
