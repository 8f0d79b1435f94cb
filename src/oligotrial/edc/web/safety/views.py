"""The patient's adverse events and the form that records one; the term search and the
chosen term's grade definitions as page parts (htmx). Thin: parse, call the record
service, render. A patient of another site answers 404.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from oligotrial.clinical.ctcae_terms import find_term, search
from oligotrial.edc import services
from oligotrial.edc.models import AdverseEvent, Patient, Role
from oligotrial.edc.services.access import readable_patient
from oligotrial.edc.web.history.messages import add_service_error
from oligotrial.edc.web.history.reading import open_queries
from oligotrial.edc.web.safety.forms import AdverseEventForm
from oligotrial.edc.web.site.views import _staff
from oligotrial.errors import InputError, OligotrialError

ENTRY = {Role.INVESTIGATOR, Role.COORDINATOR}
_USED = "oligotrial_used_forms"
USED_KEPT = 50


def _patient(request: HttpRequest, screening_number: str) -> Patient:
    try:
        return readable_patient(_staff(request), screening_number)
    except InputError:
        raise Http404("no such patient at your site") from None


def _already_used(request: HttpRequest, token: str) -> bool:
    return token in request.session.get(_USED, [])


def _mark_used(request: HttpRequest, token: str) -> None:
    used = [*request.session.get(_USED, []), token][-USED_KEPT:]
    request.session[_USED] = used


@login_required
def adverse_events(request: HttpRequest, screening_number: str) -> HttpResponse:
    """The list, and for the site's investigators and coordinators the form (a repeated
    submit of the same form records nothing twice)."""
    staff = _staff(request)
    patient = _patient(request, screening_number)
    form = None
    if staff.role in ENTRY:
        if request.method == "POST":
            form = AdverseEventForm(request.POST)
            token = request.POST.get("once", "")
            if token and _already_used(request, token):
                messages.info(request, _("This adverse event was already recorded."))
                return HttpResponseRedirect(reverse("adverse_events", args=[screening_number]))
            if form.is_valid():
                try:
                    services.record(staff, screening_number, "adverse_event", form.values())
                except OligotrialError as exc:
                    add_service_error(form, exc, form.fields)
                else:
                    _mark_used(request, token)
                    messages.success(request, _("The adverse event is recorded."))
                    return HttpResponseRedirect(reverse("adverse_events", args=[screening_number]))
        else:
            form = AdverseEventForm(
                initial={
                    "once": secrets.token_hex(16),
                    "related_rt": "not_applicable",
                    "related_flst": "not_applicable",
                    "related_slst": "not_applicable",
                    "outcome": "not_recovered",
                }
            )
    elif request.method == "POST":
        raise Http404("only the site's investigators and coordinators record adverse events")
    context: dict[str, Any] = {
        "p": patient,
        "adverse_events": list(
            AdverseEvent.objects.filter(patient=patient).order_by("onset_date", "id")
        ),
        "notes": open_queries(patient),
        "form": form,
        "term": form.chosen_term() if form is not None else None,
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "web/safety/adverse_events.html", context, status=status)


@login_required
def term_options(request: HttpRequest, screening_number: str) -> HttpResponse:
    """Terms matching what was typed (English), with their system organ class."""
    patient = _patient(request, screening_number)
    text = request.GET.get("term", "")[:120]
    context = {"p": patient, "terms": search(text), "text": text}
    return render(request, "web/safety/_term_options.html", context)


@login_required
def term_block(request: HttpRequest, screening_number: str) -> HttpResponse:
    """The term field with the picked term, its SOC and its grades' definitions."""
    patient = _patient(request, screening_number)
    name = request.GET.get("term", "")[:120]
    term = find_term(name)
    form = AdverseEventForm(initial={"term": term.term if term is not None else name})
    return render(request, "web/safety/_ae_term.html", {"p": patient, "form": form, "term": term})
