"""The data cuts page: the statistician lists cuts and makes one; the trial office reads
the pooled report, the statistician alone the by-arm DSMB report. Thin: one service call
per request (:mod:`oligotrial.edc.services.data_cuts`)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oligotrial.edc.models import Role, Staff
from oligotrial.edc.services.data_cuts import get_cut, list_cuts, make_cut
from oligotrial.edc.web.accounts import staff_of
from oligotrial.edc.web.history.messages import translated
from oligotrial.errors import InputError, OligotrialError
from oligotrial.errors import PermissionDenied as PermissionDeniedError
from oligotrial.reports.cut_stamp import DSMB_REPORT, POOLED_REPORT

_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def cuts_root() -> Path:
    """Where cuts made in the browser go: ``OLIGOTRIAL_CUTS_DIR``, else ``cuts/`` in the
    trial's data folder (beside the audit key)."""
    root = getattr(settings, "OLIGOTRIAL_CUTS_DIR", None)
    return Path(root) if root else Path(getattr(settings, "OLIGOTRIAL_AUDIT_DIR", ".")) / "cuts"


def _staff(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("this account is not linked to an active member of the staff")
    return staff


@login_required
@require_http_methods(["GET", "POST"])
def cuts(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    try:
        rows = list_cuts(staff)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from None
    statistician = staff.role == Role.STATISTICIAN
    form = {"cutoff": timezone.localdate().isoformat(), "label": ""}
    error = ""
    if request.method == "POST":
        if not statistician:
            try:
                make_cut(staff, "", "")  # refused by the service, which audits the attempt
            except PermissionDeniedError as exc:
                raise PermissionDenied(str(exc)) from None
        form = {k: request.POST.get(k, "")[:80] for k in ("cutoff", "label")}
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        folder = cuts_root() / f"cut-{form['cutoff'] or 'none'}-{stamp}"
        try:
            cuts_root().mkdir(parents=True, exist_ok=True)
            cut = make_cut(staff, form["cutoff"], folder, label=form["label"])
        except InputError as exc:
            error = translated(exc.problem)
        except OligotrialError as exc:
            error = _(str(exc))
        else:
            messages.success(request, _("Data cut %(id)s is made and recorded.") % {"id": cut.pk})
            return redirect("office_cuts")
    context = {"cuts": rows, "statistician": statistician, "form": form, "error": error}
    return render(request, "web/office/cuts.html", context, status=400 if error else 200)


def _report(request: HttpRequest, cut_id: int, name: str) -> HttpResponse:
    staff = _staff(request)
    try:
        cut = get_cut(staff, cut_id, by_arm=name == DSMB_REPORT)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from None
    except InputError:
        raise Http404("no such data cut") from None
    path = Path(cut.folder) / name
    if not path.is_file():
        raise Http404("the report file of this cut is missing")
    text = path.read_text(encoding="utf-8", errors="replace")
    response = HttpResponse(text, content_type="text/html; charset=utf-8")
    # the stored report's own style block only (by its hash), and its embedded figures
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _STYLE.findall(text)
    ]
    response._csp_update = {"style-src": hashes}  # type: ignore[attr-defined]
    response["Cache-Control"] = "no-store"
    return response


@login_required
def pooled_report(request: HttpRequest, cut_id: int) -> HttpResponse:
    return _report(request, cut_id, POOLED_REPORT)


@login_required
def dsmb_report(request: HttpRequest, cut_id: int) -> HttpResponse:
    return _report(request, cut_id, DSMB_REPORT)
