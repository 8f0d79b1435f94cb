"""Template filters of the screening pages."""

from __future__ import annotations

from django import template

from oligotrial.edc.models import Staff
from oligotrial.edc.web.screening.access import can_enter

register = template.Library()


@register.filter
def enters_data(staff: Staff | None) -> bool:
    """Whether ``staff`` may screen, consent and randomize (a site's investigator or
    coordinator)."""
    return can_enter(staff)
