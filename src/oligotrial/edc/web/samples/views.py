"""The patient's samples against the protocol's schedule (expected, overdue, collected,
shipped, received, analysed, missing), the custody steps as forms, and a printable label.
Thin: each POST is one service call; a refusal is shown in the user's language."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from oligotrial.edc.models import Biosample, Patient, Role
from oligotrial.edc.services import samples as svc
from oligotrial.edc.services.access import readable_patient
from oligotrial.edc.services.sample_reading import samples_of
from oligotrial.edc.web.history.messages import translated
from oligotrial.edc.web.site.views import _staff
from oligotrial.errors import InputError, OligotrialError

ENTRY = {Role.INVESTIGATOR, Role.COORDINATOR}
#: the sample services' messages without variable parts, in the catalogue to be translated
SAMPLE_MESSAGES = (
    gettext_noop("give the reason the sample is missing"),
    gettext_noop("the collection date is required"),
    gettext_noop("a missing sample has no collection date"),
    gettext_noop("collected_on"),
    gettext_noop("shipped_on"),
    gettext_noop("processed_on"),
)
#: a refused value's field, by the label the form shows it under
FIELD_LABELS = {
    "missing_reason": "Reason not obtained",
    "collected_on": "Collected on",
    "processed_on": "Processed on",
    "on": "Date",
    "location": "Storage location",
    "storage_location": "Storage location",
    "time_point": "Time point",
    "kind": "Kind",
    "identifier": "Label",
}
STEPS = {"ship": "shipped", "receive": "received", "process": "processed"}


def _patient(request: HttpRequest, screening_number: str) -> Patient:
    try:
        return readable_patient(_staff(request), screening_number)
    except InputError:
        raise Http404("no such patient at your site") from None


def _post(request: HttpRequest, screening_number: str) -> None:
    staff, data = _staff(request), request.POST
    action = data.get("action", "")
    if action == "collect":
        svc.collect_sample(
            staff,
            screening_number,
            kind=data.get("kind", ""),
            time_point=data.get("time_point", ""),
            collected_on=data.get("on", ""),
            processed_on=data.get("processed_on") or None,
            storage_location=data.get("location", ""),
        )
    elif action == "missing":
        svc.record_missing_sample(
            staff,
            screening_number,
            kind=data.get("kind", ""),
            time_point=data.get("time_point", ""),
            reason=data.get("reason", ""),
        )
    elif action in STEPS:
        svc.advance_sample(
            staff,
            screening_number,
            data.get("identifier", ""),
            step=STEPS[action],
            on=data.get("on", ""),
            location=data.get("location", ""),
        )
    else:
        raise InputError("action", f"{action!r} is not a sample step")


@login_required
def samples_page(request: HttpRequest, screening_number: str) -> HttpResponse:
    staff = _staff(request)
    patient = _patient(request, screening_number)
    error = ""
    if request.method == "POST":
        if staff.role not in ENTRY:
            raise Http404("only the site's investigators and coordinators record samples")
        try:
            _post(request, screening_number)
        except OligotrialError as exc:
            problem = getattr(exc, "problem", str(exc))
            field = getattr(exc, "field", "")
            name = gettext(FIELD_LABELS[field]) if field in FIELD_LABELS else field
            error = f"{name}: {translated(problem)}" if field else translated(problem)
        else:
            messages.success(request, _("The sample step is recorded."))
            return HttpResponseRedirect(reverse("samples", args=[screening_number]))
    today = timezone.localdate()
    context: dict[str, Any] = {
        "p": patient,
        "rows": samples_of(patient, today),
        "today": today,
        "error": error,
        "enters": staff.role in ENTRY,
    }
    return render(request, "web/samples/samples.html", context, status=400 if error else 200)


@login_required
def label_page(request: HttpRequest, screening_number: str, identifier: str) -> HttpResponse:
    """A printable tube label: label, patient, kind, time point, collection date."""
    patient = _patient(request, screening_number)
    sample = Biosample.objects.filter(patient=patient, identifier=identifier[:64]).first()
    if sample is None:
        raise Http404("no such sample")
    return render(
        request, "web/samples/label.html", {"p": patient, "s": sample, "qr": _qr(sample.identifier)}
    )


def _qr(text: str) -> str:
    """The label as a QR code (SVG data URI), for scanners at the laboratory."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=4, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")
