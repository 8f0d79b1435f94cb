"""The trial office dashboard: accrual and its projected completion, screen failures,
overdue visits and samples, query age, scan timing, PFS events against the triggers. Thin:
one read service, two figures; strata and triggers named in the reader's language (the
protocol file's labels, the catalogue)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from oligotrial.edc.services.dashboard import dashboard as read_dashboard
from oligotrial.edc.trial_config import current_protocol
from oligotrial.edc.web.accounts import staff_of
from oligotrial.edc.web.office.dashboard_plots import accrual_plot, timing_plot
from oligotrial.edc.web.screening.panel import protocol_label
from oligotrial.errors import PermissionDenied as PermissionDeniedError


def _trigger_name(look: int, looks: int) -> str:
    """ "final" for the last look, "interim k" before it, in the reader's language."""
    if look == looks:
        return _("final")
    return _("interim %(number)d") % {"number": look}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("this account is not linked to an active member of the staff")
    try:
        d = read_dashboard(staff, timezone.localdate())
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from None
    arms = {a.code: a.name for a in current_protocol().arms}
    labels = {
        "actual": _("Randomized"),
        "plan": _("Plan"),
        "patients": _("Patients"),
        "delay": _("Days from the due date to the scan"),
        "all": _("All arms"),
        **arms,
    }
    forecast = d.forecast
    context = {
        "d": d,
        "forecast": forecast,
        "rate": f"{forecast.rate:.1f}",
        "strata": [
            (protocol_label(factor), protocol_label(level), n) for factor, level, n in d.by_stratum
        ],
        "triggers": [(_trigger_name(t.look, len(d.events.triggers)), t) for t in d.events.triggers]
        if d.events
        else [],
        "expected": round(d.expected_now),
        "accrual_svg": accrual_plot(d, labels),
        "timing_svg": timing_plot(d, labels),
        "query_age": [(_(label), n) for label, n in d.query_age],
        "timing": [
            (labels.get(g, g), len(v), sorted(v)[len(v) // 2], max(v))
            for g, v in d.scan_delay.items()
            if v
        ],
    }
    return render(request, "web/office/dashboard.html", context)
