"""Field history, corrections with a reason, and answers to queries. Thin: read the
record the user may see, parse the form, call one service, render.

Every URL names the patient; a record, query or patient of another site answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oligotrial.edc import services
from oligotrial.edc.models import DataQuery, Patient, Role
from oligotrial.edc.services.access import readable_patient
from oligotrial.edc.services.kinds import patient_of
from oligotrial.edc.services.reading import require_history_reader
from oligotrial.edc.web.history import reading
from oligotrial.edc.web.history.grouped import changed_values, group_form, group_of
from oligotrial.edc.web.history.messages import add_service_error, translated
from oligotrial.edc.web.history.values import correction_form, label_of
from oligotrial.edc.web.safety.forms import grade_field
from oligotrial.edc.web.site.views import _staff
from oligotrial.errors import InputError, OligotrialError
from oligotrial.errors import PermissionDenied as PermissionDeniedError

ENTRY = {Role.INVESTIGATOR, Role.COORDINATOR}


def _history_reader(request: HttpRequest) -> None:
    try:
        require_history_reader(_staff(request))
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from None


def _patient(request: HttpRequest, screening_number: str) -> Patient:
    try:
        return readable_patient(_staff(request), screening_number)
    except InputError:
        raise Http404("no such patient at your site") from None


def _record(request: HttpRequest, screening_number: str, kind: str, record_id: int) -> Any:
    _history_reader(request)
    try:
        return reading.record_of(_staff(request), screening_number, kind, record_id)
    except InputError:
        raise Http404("no such record at your site") from None


def _field(kind: str, name: str) -> Any:
    try:
        return reading.correctable(kind, name)
    except InputError:
        raise Http404("no such field") from None


@login_required
def history(
    request: HttpRequest, screening_number: str, kind: str, record_id: int, name: str
) -> HttpResponse:
    """Who set or changed one field, when, from what to what and why."""
    record = _record(request, screening_number, kind, record_id)
    _field(kind, name)
    context = {
        "changes": reading.field_history(record, name, screening_number),
        "label": label_of(name),
        "screening_number": screening_number,
        "kind": kind,
        "record": record,
        "name": name,
    }
    if getattr(request, "htmx", False):
        return render(request, "web/safety/_history.html", context)
    return render(request, "web/safety/history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def correct(
    request: HttpRequest, screening_number: str, kind: str, record_id: int, name: str
) -> HttpResponse:
    """Change one saved value, or a group of values valid only together (see ``grouped``);
    the reason is required (the service refuses without it)."""
    staff = _staff(request)
    record = _record(request, screening_number, kind, record_id)
    field = _field(kind, name)
    if staff.role not in ENTRY:
        raise PermissionDenied("only the site's investigators and coordinators correct data")
    current = getattr(record, name)
    group = group_of(kind, name)
    data = request.POST if request.method == "POST" else None
    form = group_form(record, group, data) if group else correction_form(field, data, current)
    if kind == "adverse_event" and name == "grade":
        form.fields["value"] = grade_field(record.term)  # with the term's grade definitions
    if request.method == "POST" and form.is_valid():
        values = (
            changed_values(record, form, group) if group else {name: form.cleaned_data["value"]}
        )
        try:
            if not values:
                raise InputError(name, "the new value equals the recorded one")
            services.correct_values(
                staff, kind, record.pk, values, reason=form.cleaned_data["reason"]
            )
        except OligotrialError as exc:
            add_service_error(
                form, exc, (*group, "value", "reason"), {} if group else {name: "value"}
            )
        else:
            messages.success(request, _("The correction is saved with its reason."))
            return HttpResponseRedirect(
                reverse("patient_records", args=[screening_number]) + f"#{kind}-{record.pk}"
            )
    context = {
        "form": form,
        "label": label_of(name),
        "screening_number": screening_number,
        "kind": kind,
        "record": record,
        "name": name,
        "recorded_value": current,
        "group": [form[f] for f in group],
        "queries": reading.open_queries(patient_of(record)).at(record, name),
    }
    return render(request, "web/safety/correct.html", context)


@login_required
def records(request: HttpRequest, screening_number: str) -> HttpResponse:
    """The patient's saved values (consent, visits, labs, adverse events), each with its
    history and open queries one click away, and the open queries with their answers."""
    _history_reader(request)
    patient = _patient(request, screening_number)
    context = reading.patient_records(patient)
    context["p"] = patient
    return render(request, "web/safety/records.html", context)


@login_required
@require_POST
def answer(request: HttpRequest, screening_number: str, query_id: int) -> HttpResponse:
    """The site's answer to an open query of the patient."""
    staff = _staff(request)
    patient = _patient(request, screening_number)
    query = DataQuery.objects.filter(pk=query_id, patient=patient).first()
    if query is None:
        raise Http404("no such query for this patient")
    text = request.POST.get("text", "")
    error = None
    try:
        services.answer_query(staff, query.pk, text)
    except OligotrialError as exc:
        error = _("Write the answer first.") if not text.strip() else _service_text(exc)
    if getattr(request, "htmx", False):
        notes = reading.open_queries(patient)
        found = next((q for q in notes.all if q.pk == query.pk), None)
        return render(
            request,
            "web/safety/_query.html",
            {"q": found or query, "p": patient, "error": error, "closed": found is None},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your answer is recorded."))
    return HttpResponseRedirect(
        reverse("patient_records", args=[screening_number]) + f"#query-{query.pk}"
    )


def _service_text(exc: OligotrialError) -> str:
    return translated(exc.problem) if isinstance(exc, InputError) else _(str(exc))
