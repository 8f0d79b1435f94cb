"""Consent (version, date, who) and randomization pages of one patient.

Randomization is offered only when nothing is missing
(:func:`~oligotrial.edc.services.randomize.missing_requirements`: consent, eligibility,
every stratum); otherwise the page says what is missing. A confirmation step shows the
strata; then the service allocates (a repeated request returns the same allocation) and the
page shows the arm and randomization number. Nothing of the list is read here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oligotrial.edc.models import Patient, PatientStatus
from oligotrial.edc.services import allocation_of, randomize, schedule_visits
from oligotrial.edc.services.allocation_list import active_list
from oligotrial.edc.services.consents import record_consent_once
from oligotrial.edc.services.randomize import missing_requirements
from oligotrial.edc.services.validation import today
from oligotrial.edc.web.screening.access import can_enter, patient_or_404, signed_in_staff
from oligotrial.edc.web.screening.messages import problem_text
from oligotrial.edc.web.screening.panel import protocol_label
from oligotrial.errors import InputError, OligotrialError, StateError
from oligotrial.randomization import Factor


@login_required
def consent(request: HttpRequest, screening_number: str) -> HttpResponse:
    staff = signed_in_staff(request)
    patient = patient_or_404(staff, screening_number)
    errors: dict[str, str] = {}
    form_error = ""
    values = {"version": "", "signed_on": _today().isoformat()}
    status = 200
    if request.method == "POST" and can_enter(staff):
        values = {k: str(request.POST.get(k, ""))[:64] for k in values}
        try:
            done = record_consent_once(
                staff, screening_number, version=values["version"], signed_on=values["signed_on"]
            )
        except InputError as exc:
            if exc.field in values:
                errors[exc.field] = problem_text(exc.problem)
            else:
                form_error = problem_text(str(exc))
            status = 422
        except OligotrialError as exc:
            form_error = problem_text(str(exc))
            status = 409
        else:
            if done.repeated:
                messages.info(request, _("This consent was already recorded."))
            else:
                messages.success(request, _("Consent recorded."))
            return redirect("randomize", screening_number)
    consents = list(patient.consents.select_related("obtained_by").order_by("signed_on", "id"))
    context = {
        "patient": patient,
        "consents": consents,
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "can_enter": can_enter(staff),
    }
    return render(request, "web/screening/consent.html", context, status=status)


def _strata(patient: Patient, factors: tuple[Factor, ...]) -> list[tuple[str, str]]:
    shown = []
    for f in factors:
        level = patient.stratification.get(f.name)
        shown.append((protocol_label(f.name), protocol_label(level) if level else "—"))
    return shown


def _readiness(patient: Patient) -> tuple[list[str], list[tuple[str, str]]]:
    """(what is missing, in words; the strata) for randomizing ``patient`` today."""
    try:
        current = active_list()
    except StateError as exc:
        return [problem_text(str(exc))], []
    factors = tuple(Factor(name, tuple(levels)) for name, levels in current.factors)
    missing = [problem_text(m) for m in missing_requirements(patient, factors, _today())]
    if patient.status != PatientStatus.SCREENING and not missing:
        missing.append(_("the patient is not in screening"))
    return missing, _strata(patient, factors)


def _today() -> dt.date:
    """The services' today (what a date "not in the future" is checked against)."""
    return today()


def _schedule(request: HttpRequest, staff: Any, screening_number: str) -> None:
    """The visit schedule from the randomization date (its own transaction: the
    allocation stands if this fails, and the patient page offers to schedule again)."""
    try:
        schedule_visits(staff, screening_number)
    except OligotrialError as exc:
        messages.error(request, problem_text(str(exc).split(": ", 1)[-1]))


@login_required
def schedule_page(request: HttpRequest, screening_number: str) -> HttpResponse:
    """POST: schedule a randomized patient's visits (a repeated request adds none)."""
    staff = signed_in_staff(request)
    patient_or_404(staff, screening_number)
    if request.method == "POST" and can_enter(staff):
        _schedule(request, staff, screening_number)
    return redirect("patient", screening_number)


@login_required
def randomize_page(request: HttpRequest, screening_number: str) -> HttpResponse:
    staff = signed_in_staff(request)
    patient = patient_or_404(staff, screening_number)
    allocation = allocation_of(staff, screening_number)
    context: dict[str, Any] = {"patient": patient, "allocation": allocation, "error": ""}
    if allocation is not None:
        return render(request, "web/screening/randomize.html", context)
    missing, strata = _readiness(patient)
    context |= {"missing": missing, "strata": strata, "can_enter": can_enter(staff)}
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step == "confirm" and can_enter(staff) and not missing:
        return render(request, "web/screening/randomize_confirm.html", context)
    if step == "allocate" and can_enter(staff):
        try:
            randomize(staff, screening_number, randomized_on=_today())
        except OligotrialError as exc:
            context["error"] = problem_text(str(exc).split(": ", 1)[-1])
            return render(request, "web/screening/randomize.html", context, status=409)
        _schedule(request, staff, screening_number)
        return redirect("randomize", screening_number)
    return render(request, "web/screening/randomize.html", context)
