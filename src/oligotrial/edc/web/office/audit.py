"""The audit trail browser: filter by patient, user, field and date; a page at a time;
the filtered entries as CSV. A page reads the entries of one page and their count (two
database queries), whatever its size."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from oligotrial.edc.services import audit_browser as service
from oligotrial.edc.web.history.messages import translated
from oligotrial.edc.web.office.access import office_staff, page_number
from oligotrial.errors import InputError

PER_PAGE = 50


class AuditFilterForm(forms.Form):
    patient = forms.CharField(label=gettext_lazy("Patient"), required=False, max_length=32)
    user = forms.CharField(label=gettext_lazy("User"), required=False, max_length=150)
    field = forms.CharField(label=gettext_lazy("Field"), required=False, max_length=60)
    since = forms.CharField(label=gettext_lazy("From (UTC)"), required=False, max_length=10,
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    until = forms.CharField(label=gettext_lazy("To (UTC)"), required=False, max_length=10,
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, service.AuditFilter | None]:
    form = AuditFilterForm(request.GET or None)
    if not form.is_valid():
        return form, None if request.GET else service.AuditFilter()
    try:
        return form, service.parse_filter(form.cleaned_data)
    except InputError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, translated(exc.problem))
        return form, None


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    staff = office_staff(request)
    form, chosen = _filtered(request)
    page = None
    if chosen is not None:
        entries = service.audit_entries(staff, chosen)
        page = Paginator(entries, PER_PAGE).get_page(page_number(request))
        for entry in page.object_list:
            entry.change_list = sorted(json.loads(entry.changes).items())  # type: ignore[attr-defined]
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {"form": form, "page": page, "filters": query_string.urlencode()}
    return render(request, "web/office/audit.html", context, status=200 if chosen else 400)


@login_required
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered entries, all of them, as CSV (streamed)."""
    staff = office_staff(request)
    form, chosen = _filtered(request)
    if chosen is None:
        return render(request, "web/office/audit.html", {"form": form, "page": None}, status=400)
    rows = service.csv_rows(service.audit_entries(staff, chosen))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response
