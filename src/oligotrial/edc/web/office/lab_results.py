"""The trial office's laboratory results page: the data manager uploads a laboratory's
results, a CSV file or a FHIR Bundle of ctDNA results (a file whose text starts with ``{``).

Thin: one service call per upload, the same the command line makes
(:func:`~oligotrial.edc.services.sample_results.import_results` line by line,
:func:`~oligotrial.edc.services.sample_fhir_results.import_fhir_results` all or nothing);
the page lists what was imported and every line or resource refused with its problem.
Monitors read the page; only the data manager imports.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oligotrial.edc.models import Role
from oligotrial.edc.services.sample_fhir_results import import_fhir_results
from oligotrial.edc.services.sample_results import import_results
from oligotrial.edc.web.history.messages import translated
from oligotrial.edc.web.office.access import office_staff
from oligotrial.errors import InputError, OligotrialError
from oligotrial.errors import PermissionDenied as PermissionDeniedError

MAX_BYTES = 20 * 1024 * 1024


def _import(request: HttpRequest, staff: Any, context: dict[str, Any]) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Choose the laboratory's file (CSV, or a FHIR Bundle in JSON).")
        return
    if upload.size is not None and upload.size > MAX_BYTES:
        context["error"] = _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES >> 20}
        return
    name = (upload.name or "upload")[:120]
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        context["error"] = _("The file is not UTF-8 text.")
        return
    context["file_name"] = name
    if text.lstrip().startswith("{"):
        fhir = import_fhir_results(staff, text, source=name)
        context.update(
            kind="fhir",
            imported=fhir.imported,
            corrected=fhir.corrected,
            unchanged=fhir.unchanged,
            problems=[(p.resource, p.path, p.message) for p in fhir.problems],
        )
    else:
        csv = import_results(staff, text, source=name)
        context.update(
            kind="csv",
            imported=csv.imported,
            unchanged=(),
            problems=[
                (f"{p.line} · {p.sample_id}" if p.sample_id else str(p.line), p.field, p.message)
                for p in csv.problems
            ],
        )


@login_required
@require_http_methods(["GET", "POST"])
def lab_results(request: HttpRequest) -> HttpResponse:
    staff = office_staff(request)
    imports = staff.role == Role.DATA_MANAGER
    context: dict[str, Any] = {"section": "lab", "imports": imports, "error": ""}
    if request.method == "POST":
        if not imports:
            raise PermissionDenied("only the data manager imports laboratory results")
        try:
            _import(request, staff, context)
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from None
        except InputError as exc:
            context["error"] = f"{exc.field}: {translated(exc.problem)}"
        except OligotrialError as exc:
            context["error"] = translated(str(exc))
    refused = bool(context["error"] or context.get("problems"))
    return render(request, "web/office/lab_results.html", context, status=400 if refused else 200)
