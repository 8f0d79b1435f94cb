"""Fill a patient's screening draft from their FHIR Bundle (the EHR), showing the sources.

Thin: the uploaded Bundle is read by :func:`oligotrial.interop.fhir.bundle.read_bundle`
(the pre-screening's mapping, reading rules and fhir.resources validation), its partial
record fills the fields still blank (:mod:`.ehr_fill`, shared with the API) and the draft
is saved through the one draft service (audited). The page then names each field filled
and the resource it came from, and the entries of the Bundle that were not used; the
sources are kept with the draft and shown on every later visit.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oligotrial.edc.web.screening.access import entry_staff
from oligotrial.edc.web.screening.ehr_fill import fill_from_bundle
from oligotrial.edc.web.screening.messages import problem_text
from oligotrial.errors import InputError, OligotrialError

MAX_BYTES = 20 * 1024 * 1024  # a patient's Bundle, not a hospital's export


@login_required
@require_POST
def screening_fhir(request: HttpRequest, screening_number: str) -> HttpResponse:
    staff = entry_staff(request)
    upload = request.FILES.get("bundle")
    back = redirect("screening_edit", screening_number)
    if upload is None:
        messages.error(request, _("Choose the patient's FHIR Bundle (a JSON file)."))
        return back
    if upload.size is not None and upload.size > MAX_BYTES:
        messages.error(request, _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES >> 20})
        return back
    try:
        done = fill_from_bundle(staff, screening_number, upload.read(), dt.date.today())
    except (InputError, OligotrialError) as exc:
        messages.error(request, problem_text(str(exc)))
        return back
    sources = [f"{path} ← {', '.join(entry['resources'])}" for path, entry in done.sources.items()]
    messages.success(
        request,
        _("Filled from the EHR (blank fields only): %(fields)s.")
        % {"fields": "; ".join(sources) or _("nothing new")},
    )
    if done.not_used:
        messages.warning(
            request, _("Not used from the Bundle: %(p)s") % {"p": "; ".join(done.not_used)}
        )
    return back
