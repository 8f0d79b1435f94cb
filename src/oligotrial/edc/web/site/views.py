"""The site home (the user's site's patients; search by screening number) and a read-only
patient summary. Thin: find the user's staff record, call a read function, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oligotrial.edc.models import Staff
from oligotrial.edc.services.access import readable_patient
from oligotrial.edc.services.sample_reading import overdue_samples
from oligotrial.edc.web.accounts import staff_of
from oligotrial.edc.web.site.overview import patient_summary, site_patients
from oligotrial.errors import InputError


def _staff(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("this account is not linked to an active member of the staff")
    return staff


@login_required
def site_home(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    search = request.GET.get("q", "")[:32]
    today = timezone.localdate()
    rows, page = site_patients(staff, today, search, request.GET.get("page") or 1)
    context = {"rows": rows, "page": page, "search": search, "today": today}
    if getattr(request, "htmx", False):
        return render(request, "web/site/_patients.html", context)
    return render(request, "web/site/home.html", context)


@login_required
def patient(request: HttpRequest, screening_number: str) -> HttpResponse:
    staff = _staff(request)
    try:
        summary = patient_summary(staff, screening_number, timezone.localdate())
    except InputError:
        raise Http404("no such patient at your site") from None
    patient_ = readable_patient(staff, screening_number)
    overdue = overdue_samples(patient_, timezone.localdate())
    context = {"summary": summary, "p": summary.row, "overdue_samples": overdue}
    return render(request, "web/site/patient.html", context)
