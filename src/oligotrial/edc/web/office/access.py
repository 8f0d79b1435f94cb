"""Who reaches the trial office's pages: data managers and monitors; anyone else 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from oligotrial.edc.models import Staff
from oligotrial.edc.services.office_queries import OFFICE
from oligotrial.edc.web.site.views import _staff


def office_staff(request: HttpRequest) -> Staff:
    """The signed-in data manager or monitor; a 403 for every other role."""
    staff = _staff(request)
    if staff.role not in OFFICE:
        raise PermissionDenied("the trial office's pages are for data managers and monitors")
    return staff


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1
