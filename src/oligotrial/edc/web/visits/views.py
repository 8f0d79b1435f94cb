"""The visit page and its forms. Thin: parse the form, call one service, render.

A saved form redirects back to the page (a reload sends nothing again); a service error is
shown translated next to the field it names, with nothing saved (status 400). Each form is
sent again as it was after a double click or from the browser's history: the services find
the records already stored and add nothing (edc.services.visit_entry). Another site's
patient, or a visit that does not exist, is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from oligotrial.edc.models import Lesion, LesionMeasurement, Staff
from oligotrial.edc.services import change_dose, record_visit
from oligotrial.edc.services.kinds import bed
from oligotrial.edc.services.visit_entry import record_assessment, record_labs, record_once
from oligotrial.edc.web.accounts import staff_of
from oligotrial.edc.web.visits import forms as vf
from oligotrial.edc.web.visits.messages import field_of, message_of
from oligotrial.edc.web.visits.reading import VisitData, visit_data
from oligotrial.edc.web.visits.tumour import time_point
from oligotrial.errors import InputError, OligotrialError

SECTIONS = (
    "date",
    "labs",
    "tumour",
    "rt",
    "exposure",
    "dose",
    "sample",
    "therapy",
    "death",
    "withdrawal",
)


def _data(request: HttpRequest, screening_number: str, number: int) -> tuple[Staff, VisitData]:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("this account is not linked to an active member of the staff")
    try:
        return staff, visit_data(staff, screening_number, number, timezone.localdate())
    except InputError:
        raise Http404("no such visit of a patient at your site") from None


def _forms(data: VisitData, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    lesions = [line.lesion for line in data.lesions]
    visit = data.visit
    made: dict[str, Callable[[], forms.Form]] = {
        "date": lambda: vf.VisitDateForm(initial={"visit_date": visit.visit_date}),
        "labs": lambda: vf.LabsForm(initial={"sampled_on": visit.visit_date}),
        "tumour": lambda: vf.AssessmentForm(
            lesions=lesions,
            baseline=visit.number == 0,
            initial={"measured_on": visit.visit_date},
        ),
        "rt": lambda: vf.RadiotherapyForm(lesions=lesions),
        "exposure": lambda: vf.ExposureForm(),
        "dose": lambda: vf.DoseChangeForm(exposures=data.open_exposures),
        "sample": lambda: vf.BiosampleForm(initial={"collected_on": visit.visit_date}),
        "therapy": lambda: vf.NewTherapyForm(),
        "death": lambda: vf.DeathForm(),
        "withdrawal": lambda: vf.WithdrawalForm(),
    }
    return {name: bound.get(name) or make() for name, make in made.items()}


def _page(
    request: HttpRequest,
    data: VisitData,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    preview = time_point(data.randomized_on, data.visits_done, data.measurements, data.visit)
    context = {
        "d": data,
        "p": data.patient,
        "v": data.visit,
        "f": _forms(data, bound or {}),
        "preview": preview,
        "rt_bed": _bed_of(bound["rt"].data) if bound and "rt" in bound else None,
        "analyte_labels": vf.ANALYTE_LABELS,
        "status_labels": dict(vf.STATUSES),
        "organ_labels": dict(vf.organ_choices()),
        "cause_labels": dict(vf.CAUSES),
        "ending_labels": dict(vf.ENDINGS),
    }
    return render(request, "web/visits/visit.html", context, status=status)


@login_required
@require_GET
def visit_page(request: HttpRequest, screening_number: str, number: int) -> HttpResponse:
    _, data = _data(request, screening_number, number)
    return _page(request, data)


def _save(
    request: HttpRequest, data: VisitData, section: str, form: forms.Form, write: Callable[[], Any]
) -> HttpResponse:
    """Call the service if the form parses; on an error show it at its field (nothing saved)."""
    if form.is_valid():
        try:
            write()
        except OligotrialError as exc:
            vf.place_error(form, field_of(exc), message_of(exc))
        else:
            messages.success(request, _("Saved."))
            url = reverse("visit", args=[data.patient.screening_number, data.visit.number])
            return redirect(f"{url}#{section}")
    for name in form.errors:  # each refused input is marked and points at its message
        if name in form.fields:
            form.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"{form[name].auto_id}_error"}
            )
    return _page(request, data, {section: form}, status=400)


@login_required
@require_POST
def save_section(
    request: HttpRequest, screening_number: str, number: int, section: str
) -> HttpResponse:
    staff, data = _data(request, screening_number, number)
    if section not in SECTIONS:
        raise Http404("no such form")
    sn, post = data.patient.screening_number, request.POST
    lesions = [line.lesion for line in data.lesions]
    if section == "date":
        form: forms.Form = vf.VisitDateForm(post)

        def write() -> Any:
            missed = form.cleaned_data["missed"]
            day = form.cleaned_data["visit_date"]
            if not missed and day is None:
                raise InputError("visit_date", "is required")
            return record_visit(staff, sn, number, visit_date=day, missed=missed)

    elif section == "labs":
        form = vf.LabsForm(post)

        def write() -> Any:
            return record_labs(
                staff,
                sn,
                number,
                sampled_on=form.cleaned_data["sampled_on"],
                results=form.results(),  # type: ignore[attr-defined]
            )

    elif section == "tumour":
        form = vf.AssessmentForm(post, lesions=lesions, baseline=number == 0)

        def write() -> Any:
            return record_assessment(
                staff,
                sn,
                number,
                measured_on=form.cleaned_data["measured_on"],
                measurements=form.measurements(),  # type: ignore[attr-defined]
                added=form.added(),  # type: ignore[attr-defined]
            )

    elif section == "dose":
        form = vf.DoseChangeForm(post, exposures=data.open_exposures)

        def write() -> Any:
            c = form.cleaned_data
            return change_dose(
                staff, sn, c["exposure_id"], new_dose=c["new_dose"], on=c["on"], reason=c["reason"]
            )

    else:
        form, kind = _record_form(section, post, lesions)

        def write() -> Any:
            values = dict(form.cleaned_data)
            lesion = values.pop("lesion", None) or None
            return record_once(staff, sn, kind, _blank_none(values), lesion_code=lesion)

    return _save(request, data, section, form, write)


def _blank_none(values: dict[str, Any]) -> dict[str, Any]:
    """Optional fields left empty are not entered (the model's default applies)."""
    return {k: v for k, v in values.items() if v is not None and v != ""}


def _record_form(section: str, post: Any, lesions: list[Any]) -> tuple[forms.Form, str]:
    if section == "rt":
        return vf.RadiotherapyForm(post, lesions=lesions), "rt_course"
    kinds: dict[str, tuple[type[forms.Form], str]] = {
        "exposure": (vf.ExposureForm, "exposure"),
        "sample": (vf.BiosampleForm, "biosample"),
        "therapy": (vf.NewTherapyForm, "new_therapy"),
        "death": (vf.DeathForm, "death"),
        "withdrawal": (vf.WithdrawalForm, "withdrawal"),
    }
    form_class, kind = kinds[section]
    return form_class(post), kind


@login_required
@require_POST
def tumour_preview(request: HttpRequest, screening_number: str, number: int) -> HttpResponse:
    """The time-point response as entered so far (htmx; nothing is saved). Values that do
    not parse yet are left out."""
    _, data = _data(request, screening_number, number)
    lesions = [line.lesion for line in data.lesions]
    form = vf.AssessmentForm(request.POST, lesions=lesions, baseline=number == 0)
    form.is_valid()
    scan_date = form.cleaned_data.get("measured_on")
    by_code = {les.code: les for les in lesions}
    draft = [
        LesionMeasurement(
            lesion=by_code[m["lesion_code"]],
            status=m["status"],
            diameter_mm=m["diameter_mm"],
        )
        for m in form.measurements()
    ]
    for i, added in enumerate(form.added()):
        lesion = Lesion(  # unsaved: an id only to keep the engine's input in a stable order
            id=-(i + 1), code=added["code"], role="new", organ=added["organ"], nodal=added["nodal"]
        )
        draft.append(
            LesionMeasurement(
                lesion=lesion, status=added["status"], diameter_mm=added["diameter_mm"]
            )
        )
    preview = time_point(
        data.randomized_on, data.visits_done, data.measurements, data.visit, draft, scan_date
    )
    return render(request, "web/visits/_response.html", {"preview": preview})


@login_required
@require_POST
def bed_preview(request: HttpRequest, screening_number: str, number: int) -> HttpResponse:
    """The BED of the course as entered so far (htmx; nothing is saved)."""
    _data(request, screening_number, number)
    return render(request, "web/visits/_bed.html", {"bed": _bed_of(request.POST)})


def _bed_of(data: Any) -> float | None:
    """The BED of the course sent (the one clinical function), once its dose, fractions
    and α/β parse; else None."""
    form = vf.RadiotherapyForm(data)
    form.is_valid()
    c = form.cleaned_data
    if c.get("total_dose_gy") and c.get("fractions") and c.get("alpha_beta_gy"):
        return bed(c["total_dose_gy"], c["fractions"], c["alpha_beta_gy"])
    return None
