"""The screening form: a new patient or an existing patient's draft; save, check, submit.

Thin: read the typed fields, call one service (save a draft, submit) or the one engine (the
live panel), render. A service's :class:`InputError` is shown at the field it names, in
the user's language; nothing is written then.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oligotrial.edc.models import Patient, Staff
from oligotrial.edc.services import screening_drafts
from oligotrial.edc.services.screening_engine import evaluate_record, latest_screening
from oligotrial.edc.services.screening_state import OPEN_STATUSES
from oligotrial.edc.web.screening.access import entry_staff
from oligotrial.edc.web.screening.bound import blocks, region_choices
from oligotrial.edc.web.screening.form_spec import list_specs, sections
from oligotrial.edc.web.screening.form_values import (
    ROWS_SUFFIX,
    RowMap,
    form_values,
    record_data,
    row_count,
    typed_values,
)
from oligotrial.edc.web.screening.messages import error_text, problem_text
from oligotrial.edc.web.screening.panel import panel_context
from oligotrial.errors import InputError, OligotrialError

RECORD = "record."


def _record(staff: Staff, values: dict[str, str]) -> tuple[dict[str, Any], RowMap]:
    data, rows = record_data(values)
    data["site"] = staff.site.code if staff.site else None
    return data, rows


def _field_of(exc: InputError, rows: RowMap | None) -> str:
    field = exc.field.removeprefix(RECORD) if exc.field.startswith(RECORD) else exc.field
    if field == "record":
        return ""
    return rows.form_path(field) if rows is not None else field


def _panel(staff: Staff, values: dict[str, str]) -> dict[str, Any]:
    rows: RowMap | None = None
    try:
        data, rows = _record(staff, values)
        return {"panel": panel_context(evaluate_record(data))}
    except InputError as exc:
        field = _field_of(exc, rows)
        return {"panel": None, "panel_error": error_text(field, exc.problem)}


def _existing(staff: Staff, number: str) -> tuple[Patient | None, dict[str, str] | None]:
    """The patient and draft of ``number`` at the staff's site (404 for another site's)."""
    patient = Patient.objects.filter(screening_number=number).first()
    if patient is not None and patient.site_id != staff.site_id:
        raise Http404("no such patient at your site")
    draft = screening_drafts.read_draft(staff, number)
    if draft is None and screening_drafts.draft_elsewhere(staff, number):
        raise Http404("no such patient at your site")
    if patient is None and draft is None:
        raise Http404("no such patient at your site")
    return patient, (dict(draft.values) if draft is not None else None)


def _ehr_sources(staff: Staff, number: str | None) -> list[tuple[str, str]]:
    """The draft's fields filled from the EHR, with the resources they came from."""
    draft = screening_drafts.read_draft(staff, number) if number else None
    sources = draft.ehr_sources if draft is not None else {}
    return [(path, ", ".join(e["resources"])) for path, e in sorted(sources.items())]


def _render(
    request: HttpRequest,
    staff: Staff,
    number: str | None,
    values: dict[str, str],
    errors: dict[str, str],
    summary: list[str],
    status: int = 200,
) -> HttpResponse:
    context = {
        "number": number,
        "blocks": blocks(sections(), values, errors),
        "regions": region_choices(),
        "summary": summary,
        "drafts": screening_drafts.open_drafts(staff) if number is None else [],
        "ehr_sources": _ehr_sources(staff, number),
        **_panel(staff, values),
    }
    return render(request, "web/screening/form.html", context, status=status)


def _add_row(values: dict[str, str], list_path: str) -> None:
    if list_path in list_specs():
        values[list_path + ROWS_SUFFIX] = str(max(1, row_count(values, list_path)) + 1)


def _screening(request: HttpRequest, number: str | None) -> HttpResponse:
    staff = entry_staff(request)
    patient = None
    if number is not None:
        patient, draft_values = _existing(staff, number)
        if patient is not None and patient.status not in OPEN_STATUSES:
            return render(request, "web/screening/closed.html", {"number": number})
    if request.method != "POST":
        if number is None:
            values: dict[str, str] = {}
        elif draft_values is not None:
            values = draft_values
        else:
            latest = latest_screening(patient) if patient is not None else None
            values = form_values(latest.record or {}) if latest is not None else {}
            values.pop("site", None)
        if number is not None:
            values.setdefault("patient_id", number)
        return _render(request, staff, number, values, {}, [])
    values = typed_values(request.POST)
    action = request.POST.get("action", "")
    if action.startswith("add:"):
        _add_row(values, action[4:])
        return _render(request, staff, number, values, {}, [])
    rows: RowMap | None = None
    try:
        if action == "save":
            draft = screening_drafts.save_draft(staff, values.get("patient_id", ""), values)
            messages.success(request, _("Draft saved."))
            return redirect("screening_edit", draft.screening_number)
        data, rows = _record(staff, values)
        done = screening_drafts.submit(staff, data, values)
    except InputError as exc:
        field = _field_of(exc, rows)
        errors = {field: problem_text(exc.problem)} if field else {}
        summary = [error_text(field, exc.problem)]
        return _render(request, staff, number, values, errors, summary, 422)
    except OligotrialError as exc:
        return _render(request, staff, number, values, {}, [problem_text(str(exc))], 409)
    stored = done.screening
    if done.repeated:
        messages.info(request, _("This record was already stored; nothing was added."))
    else:
        messages.success(
            request,
            _("Screening record version %(v)s stored.") % {"v": stored.version},
        )
    return redirect("patient", stored.patient.screening_number)


@login_required
def screening_new(request: HttpRequest) -> HttpResponse:
    return _screening(request, None)


@login_required
def screening_edit(request: HttpRequest, screening_number: str) -> HttpResponse:
    return _screening(request, screening_number)


@login_required
@require_POST
def screening_panel(request: HttpRequest) -> HttpResponse:
    """The panel alone, for the form's live updates (htmx)."""
    staff = entry_staff(request)
    context = _panel(staff, typed_values(request.POST))
    return render(request, "web/screening/_panel.html", context)
