"""Template filter ``reason_words``: the RECIST engine's reason in the user's language
(see :mod:`oligotrial.edc.web.visits.response_words`)."""

from __future__ import annotations

from django import template

from oligotrial.edc.web.visits.response_words import reason_words as _reason_words

register = template.Library()


@register.filter
def reason_words(reason: str) -> str:
    return _reason_words(reason)
