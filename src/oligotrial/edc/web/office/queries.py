"""Queries across sites: the filtered list, one query's conversation, raising a query on a
value, writing on it and closing it. Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from oligotrial.edc.models import Site
from oligotrial.edc.services import office_queries as service
from oligotrial.edc.services.kinds import KINDS
from oligotrial.edc.web.history.messages import translated
from oligotrial.edc.web.office.access import office_staff, page_number
from oligotrial.edc.web.site.views import _staff
from oligotrial.errors import InputError, OligotrialError
from oligotrial.errors import PermissionDenied as Refused

PER_PAGE = 25
STATE_LABELS = {
    "open": gettext_lazy("Open"),
    "answered": gettext_lazy("Answered"),
    "closed": gettext_lazy("Closed"),
}
AGES = (
    ("", gettext_lazy("Any age")),
    ("7", gettext_lazy("Older than 7 days")),
    ("14", gettext_lazy("Older than 14 days")),
    ("30", gettext_lazy("Older than 30 days")),
)


class QueryFilter(forms.Form):
    site = forms.ChoiceField(label=gettext_lazy("Site"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *STATE_LABELS.items()],
    )
    age = forms.ChoiceField(label=gettext_lazy("Age"), required=False, choices=AGES)


class TextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Message"), max_length=service.MAX_TEXT, widget=forms.Textarea
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for closing"), max_length=service.MAX_TEXT)


def _problem(exc: OligotrialError) -> str:
    return translated(exc.problem) if isinstance(exc, InputError) else _(str(exc))


@login_required
def query_list(request: HttpRequest) -> HttpResponse:
    """Every query of the user's sites, filtered by site, status and age, newest first."""
    staff = office_staff(request)
    form = QueryFilter(request.GET or None)
    sites = Site.objects.order_by("code")
    if staff.site is not None:
        sites = sites.filter(pk=staff.site.pk)
    codes = sites.values_list("code", flat=True)
    site_field: Any = form.fields["site"]
    site_field.choices = [("", _("All sites")), *((c, c) for c in codes)]
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = service.office_queries(
        staff,
        site=chosen.get("site") or None,
        state=chosen.get("status") or None,
        older_than_days=int(chosen["age"]) if chosen.get("age") else None,
    )
    page = Paginator(qs, PER_PAGE).get_page(page_number(request))
    now = timezone.now()
    rows = [
        {"q": q, "state": service.state_of(q), "age": (now - q.opened_at).days}
        for q in page.object_list
    ]
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "labels": STATE_LABELS,
        "filters": query_string.urlencode(),
    }
    return render(request, "web/office/queries.html", context)


def _query(request: HttpRequest, query_id: int) -> Any:
    staff = office_staff(request)
    try:
        return staff, service.visible_query(staff, query_id)
    except InputError:
        raise Http404("no such query at your site(s)") from None


@login_required
@require_http_methods(["GET", "POST"])
def query_detail(request: HttpRequest, query_id: int) -> HttpResponse:
    """One query: the value it is about, its conversation; write on it or close it."""
    staff, query = _query(request, query_id)
    message_form = TextForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and message_form.is_valid():
        try:
            service.post_message(staff, query.pk, message_form.cleaned_data["text"])
        except OligotrialError as exc:
            message_form.add_error("text", _problem(exc))
        else:
            messages.success(request, _("Your message is recorded."))
            return HttpResponseRedirect(reverse("office_query", args=[query.pk]))
    return _detail(request, query, message_form, CloseForm())


def _detail(request: HttpRequest, query: Any, message_form: Any, close_form: Any) -> HttpResponse:
    context = {
        "q": query,
        "state": service.state_of(query),
        "labels": STATE_LABELS,
        "entries": service.conversation(query),
        "message_form": message_form,
        "close_form": close_form,
    }
    return render(request, "web/office/query.html", context)


@login_required
@require_POST
def close(request: HttpRequest, query_id: int) -> HttpResponse:
    """Close a query with a reason. Any signed-in staff member reaches the service, so that a
    refusal for want of the role is audited; it answers 403 with the service's message."""
    staff = _staff(request)
    form = CloseForm(request.POST)
    reason = request.POST.get("reason", "")
    try:
        service.close_query(staff, query_id, reason=reason)
    except Refused as exc:
        raise PermissionDenied(str(exc)) from None
    except InputError as exc:
        if exc.field == "query_id":
            raise Http404("no such query at your site(s)") from None
        form.add_error(
            "reason", _("Give the reason for closing.") if not reason.strip() else _problem(exc)
        )
    except OligotrialError as exc:
        form.add_error("reason", _problem(exc))
    else:
        messages.success(request, _("The query is closed."))
        return HttpResponseRedirect(reverse("office_query", args=[query_id]))
    query = _query(request, query_id)[1]
    return _detail(request, query, TextForm(), form)


class RaiseForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS], widget=forms.HiddenInput)
    record_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    field = forms.CharField(widget=forms.HiddenInput, max_length=60)
    text = forms.CharField(
        label=gettext_lazy("Question to the site"),
        max_length=service.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def raise_query(request: HttpRequest) -> HttpResponse:
    """Raise a query on one value (kind, record, field given by the SDV page's link)."""
    staff = office_staff(request)
    form = RaiseForm(request.POST if request.method == "POST" else None, initial=request.GET)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            query = service.raise_query(
                staff, data["kind"], data["record_id"], data["field"], data["text"]
            )
        except InputError as exc:
            if exc.field in {"record_id", "kind", "field"}:
                raise Http404("no such value at your site(s)") from None
            form.add_error("text", _problem(exc))
        except OligotrialError as exc:
            form.add_error("text", _problem(exc))
        else:
            messages.success(request, _("The query is sent to the site."))
            return HttpResponseRedirect(reverse("office_query", args=[query.pk]))
    about = {k: form[k].value() for k in ("kind", "record_id", "field")}
    context = {"form": form, "about": about}
    return render(request, "web/office/raise.html", context)
