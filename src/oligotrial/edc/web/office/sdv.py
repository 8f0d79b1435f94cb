"""Source data verification pages: what is left to verify per site and per patient, and a
patient's forms by visit, verified per value, per form or per visit in one action."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from oligotrial.edc.services import verification as service
from oligotrial.edc.web.office.access import office_staff
from oligotrial.errors import InputError, OligotrialError
from oligotrial.errors import PermissionDenied as Refused


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    """Per site, and per patient of a chosen site: values recorded, verified, left."""
    staff = office_staff(request)
    site = request.GET.get("site", "")[:16]
    context: dict[str, Any] = {"sites": service.progress_by_site(staff), "site": site}
    if site:
        context["patients"] = service.progress_by_patient(staff, site)
    return render(request, "web/office/sdv.html", context)


@login_required
def patient(request: HttpRequest, screening_number: str) -> HttpResponse:
    """The patient's forms grouped by visit, each value with its verification state."""
    staff = office_staff(request)
    try:
        forms = service.left_for_patient(staff, screening_number)
    except InputError:
        raise Http404("no such patient at your site(s)") from None
    by_visit: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for form in sorted(forms, key=lambda f: f["kind"] != "visit"):  # the visit's own first
        for value in form["values"]:
            value["shown"] = _shown(value["value"])
        by_visit[form["visit"]].append(form)
    groups = sorted(by_visit.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    context = {
        "screening_number": screening_number,
        "groups": groups,
        "left": sum(f["left"] for f in forms),
        "monitor": staff.role == "monitor",
    }
    return render(request, "web/office/sdv_patient.html", context)


def _shown(value: object) -> str:
    """A value as the site entered it: dates in ISO form, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@login_required
@require_POST
def verify(request: HttpRequest, screening_number: str) -> HttpResponse:
    """One action: a value (kind, record, field), a form (kind, record) or a visit."""
    staff = office_staff(request)
    post = request.POST
    try:
        if post.get("visit", "").isdigit():
            done = service.verify_visit(staff, screening_number, int(post["visit"]))
        else:
            record_id = post.get("record_id", "")
            done = service.verify(
                staff,
                post.get("kind", ""),
                int(record_id) if record_id.isdigit() else -1,
                post.get("field") or None,
                of_patient=screening_number,
            )
    except Refused as exc:
        raise PermissionDenied(str(exc)) from None
    except InputError as exc:
        if exc.field in {"record_id", "kind", "visit_number", "screening_number", "patient"}:
            raise Http404("no such record at your site(s)") from None
        messages.error(request, str(exc))
    except OligotrialError as exc:
        messages.error(request, _(str(exc)))
    else:
        messages.success(
            request,
            ngettext("%(n)d value verified.", "%(n)d values verified.", done.fields)
            % {"n": done.fields},
        )
    anchor = f"#{post.get('kind', 'visit')}-{post.get('record_id') or post.get('visit', '')}"
    return HttpResponseRedirect(reverse("office_sdv_patient", args=[screening_number]) + anchor)
