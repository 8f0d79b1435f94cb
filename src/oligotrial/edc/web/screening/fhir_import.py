"""Fill a patient's screening draft from their FHIR Bundle (the EHR), showing the sources.

Thin: the uploaded Bundle is read by :func:`oligotrial.interop.fhir.bundle.read_bundle`
(the pre-screening's mapping, reading rules and fhir.resources validation), its partial
record becomes the form's fields, the fields still blank in the draft are filled (what the
coordinator typed is never replaced) and the draft is saved through the one draft service
(audited). The page then names each field filled and the resource it came from, and the
entries of the Bundle that were not used.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oligotrial.edc.models import Staff
from oligotrial.edc.services import screening_drafts
from oligotrial.edc.services.screening_engine import latest_screening
from oligotrial.edc.web.screening.access import entry_staff
from oligotrial.edc.web.screening.form_values import form_values
from oligotrial.edc.web.screening.messages import problem_text
from oligotrial.edc.web.screening.views import _existing
from oligotrial.errors import InputError, OligotrialError
from oligotrial.interop.fhir.bundle import read_bundle

MAX_BYTES = 20 * 1024 * 1024  # a patient's Bundle, not a hospital's export
_NOT_FROM_EHR = ("patient_id", "site", "screening_date")


def _current_values(staff: Staff, number: str) -> dict[str, str]:
    patient, draft = _existing(staff, number)
    if draft is not None:
        return draft
    latest = latest_screening(patient) if patient is not None else None
    values = form_values(latest.record or {}) if latest is not None else {}
    values.pop("site", None)
    return values


@login_required
@require_POST
def screening_fhir(request: HttpRequest, screening_number: str) -> HttpResponse:
    staff = entry_staff(request)
    values = _current_values(staff, screening_number)
    upload = request.FILES.get("bundle")
    back = redirect("screening_edit", screening_number)
    if upload is None:
        messages.error(request, _("Choose the patient's FHIR Bundle (a JSON file)."))
        return back
    if upload.size is not None and upload.size > MAX_BYTES:
        messages.error(request, _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES >> 20})
        return back
    try:
        found = read_bundle(upload.read(), screening_number, dt.date.today())
        from_ehr = form_values(found.record)
        for key in _NOT_FROM_EHR:
            from_ehr.pop(key, None)
        filled = {k: v for k, v in from_ehr.items() if not values.get(k, "").strip()}
        values.setdefault("patient_id", screening_number)
        screening_drafts.save_draft(staff, screening_number, {**values, **filled})
    except (InputError, OligotrialError) as exc:
        messages.error(request, problem_text(str(exc)))
        return back
    sources = [
        f"{path} ← {', '.join(refs)}"
        for path, refs in sorted(found.sources.items())
        if any(k == path or k.startswith(path + ".") for k in filled)
    ]
    messages.success(
        request,
        _("Filled from the EHR (blank fields only): %(fields)s.")
        % {"fields": "; ".join(sources) or _("nothing new")},
    )
    if found.problems:
        messages.warning(
            request, _("Not used from the Bundle: %(p)s") % {"p": "; ".join(found.problems)}
        )
    return back
