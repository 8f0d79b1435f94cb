"""Template filters naming the protocol's codes in the user's language."""

from __future__ import annotations

from django import template

from oligotrial.edc.web.screening.panel import protocol_label

register = template.Library()


@register.filter(name="protocol_label")
def protocol_label_filter(code: str) -> str:
    """A code the protocol names in its labels (a stratification level, a sample time
    point) in the user's language; the code itself if the protocol does not name it."""
    return protocol_label(str(code))
