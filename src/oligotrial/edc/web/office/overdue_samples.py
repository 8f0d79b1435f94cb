"""The overdue samples list of the trial office (all sites, or one: ``?site=S01``), each
with a link to the patient's samples page. Thin: one read service, one template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oligotrial.edc.services.overdue_samples import overdue_samples
from oligotrial.edc.web.accounts import staff_of
from oligotrial.errors import PermissionDenied as PermissionDeniedError


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("this account is not linked to an active member of the staff")
    site = request.GET.get("site", "")[:16]
    try:
        rows = overdue_samples(staff, timezone.localdate(), site)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from None
    return render(request, "web/office/overdue_samples.html", {"rows": rows, "site": site})
