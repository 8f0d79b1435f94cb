"""Signing a casebook or a visit (the site's investigators), freezing data and locking the
database (data managers). Thin: parse, call one service, render; a refusal is shown with
the service's words and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oligotrial.edc import services
from oligotrial.edc.models import Patient, Role, Signature, TrialState, Visit
from oligotrial.edc.services.access import readable_patient
from oligotrial.edc.services.data_guard import VOID_PREFIX
from oligotrial.edc.services.freeze import freezes_of
from oligotrial.edc.services.lock import CATEGORIES, LockRefused, checklist_for
from oligotrial.edc.services.signatures import (
    MEANING,
    ReauthenticationFailed,
    refuse_locked,
    signature_in_force,
    signatures_of,
    void_signature,
)
from oligotrial.edc.web.history.messages import add_service_error
from oligotrial.edc.web.signing import lockout
from oligotrial.edc.web.signing.forms import FreezeForm, ReasonForm, SignForm
from oligotrial.edc.web.site.views import _staff
from oligotrial.errors import InputError, OligotrialError

#: the signing service's refusals, in the catalogue so that they are shown translated
SIGNING_MESSAGES = (
    gettext_noop("not signed: the password is required"),
    gettext_noop("not signed: the authenticator code is required"),
    gettext_noop("not signed: the password is not correct"),
    gettext_noop("not signed: signing needs an authenticator app (TOTP): set one up first"),
    gettext_noop("not signed: the authenticator code is not correct (or was already used)"),
    gettext_noop(
        "not signed: the account is locked after repeated failed sign-in or signing attempts; "
        "the trial's administrator can unlock it"
    ),
)


def _patient(request: HttpRequest, screening_number: str) -> Patient:
    try:
        return readable_patient(_staff(request), screening_number)
    except InputError:
        raise Http404("no such patient at your site") from None


def _visit_number(raw: object) -> int | None:
    try:
        return int(str(raw)) if raw not in (None, "") else None
    except ValueError:
        raise Http404("no such visit") from None


@login_required
def sign_page(request: HttpRequest, screening_number: str) -> HttpResponse:
    """The patient's signatures (in force and voided) and, for the site's investigators, the
    form that signs the casebook or one visit (``?visit=N``) with password and code."""
    staff = _staff(request)
    patient = _patient(request, screening_number)
    number = _visit_number(request.POST.get("visit") or request.GET.get("visit"))
    visit = None
    if number is not None:
        visit = Visit.objects.filter(patient=patient, number=number).first()
        if visit is None:
            raise Http404("no such visit")
    may_sign = staff.role == Role.INVESTIGATOR and staff.site_id == patient.site_id
    form = None
    voiding = request.POST.get("action") == "void"
    void_form = ReasonForm(request.POST if voiding else None)
    if may_sign and voiding:
        done = _void(request, staff, screening_number, number, void_form)
        if done is not None:
            return done
        form = SignForm(initial={"visit": number})
    elif may_sign:
        form = SignForm(request.POST or None, initial={"visit": number})
        if request.method == "POST" and form.is_valid():
            try:
                if lockout.is_locked(request):
                    refuse_locked(staff, screening_number, visit_number=number)
                services.sign(
                    staff,
                    screening_number,
                    visit_number=number,
                    password=form.cleaned_data["password"],
                    totp_code=form.cleaned_data["code"],
                )
            except OligotrialError as exc:
                if isinstance(exc, ReauthenticationFailed):
                    lockout.count_failure(request)
                add_service_error(form, exc, ())
            else:
                lockout.reset_after_success(request)
                messages.success(request, _("Signed."))
                url = reverse("signatures", args=[screening_number])
                return HttpResponseRedirect(
                    url + (f"?visit={number}" if number is not None else "")
                )
    elif request.method == "POST":
        raise Http404("only the site's investigators sign")
    context: dict[str, Any] = {
        "p": patient,
        "visit": visit,
        "visits": list(Visit.objects.filter(patient=patient).order_by("number")),
        "in_force": signature_in_force(patient, visit),
        "signatures": [_shown(s) for s in signatures_of(staff, screening_number)],
        "form": form,
        "may_void": may_sign,
        "void_form": void_form,
        "meaning": MEANING,
    }
    bad = (form is not None and form.is_bound and form.errors) or void_form.errors
    return render(request, "web/signing/sign.html", context, status=400 if bad else 200)


def _void(
    request: HttpRequest, staff: Any, screening_number: str, visit: int | None, form: ReasonForm
) -> HttpResponse | None:
    """Void the signature named in the form, with its reason (the site's investigators); the
    redirect when done, None when refused (the refusal is on ``form``)."""
    if not form.is_valid():
        return None
    try:
        void_signature(
            staff,
            screening_number,
            _visit_number(request.POST.get("signature_id")) or 0,
            reason=form.cleaned_data["reason"],
        )
    except OligotrialError as exc:
        add_service_error(form, exc, form.fields)
        return None
    messages.success(request, _("The signature is void; the data need signing again."))
    url = reverse("signatures", args=[screening_number])
    return HttpResponseRedirect(url + (f"?visit={visit}" if visit is not None else ""))


def _shown(signature: Signature) -> Signature:
    """The signature with its void reason in the reader's language (``shown_reason``)."""
    reason = signature.void_reason
    if reason.startswith(VOID_PREFIX):
        what = reason.removeprefix(VOID_PREFIX)
        reason = _("data changed after signing: %(what)s") % {"what": what}
    signature.shown_reason = reason  # type: ignore[attr-defined]
    return signature


def _require_data_manager(request: HttpRequest) -> Any:
    staff = _staff(request)
    if staff.role != Role.DATA_MANAGER:
        raise Http404("only data managers freeze and lock")
    return staff


@login_required
def freeze_page(request: HttpRequest, screening_number: str) -> HttpResponse:
    """The patient's freezes and the form that freezes or releases one (data managers)."""
    staff = _require_data_manager(request)
    patient = _patient(request, screening_number)
    form = FreezeForm(request.POST if request.POST.get("action") == "freeze" else None)
    release = ReasonForm(request.POST if request.POST.get("action") == "unfreeze" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unfreeze" and release.is_valid():
                freeze_id = _visit_number(request.POST.get("freeze_id"))
                services.unfreeze(staff, freeze_id or 0, reason=release.cleaned_data["reason"])
                messages.success(request, _("Unfrozen."))
                return HttpResponseRedirect(reverse("freeze", args=[screening_number]))
            if request.POST.get("action") == "freeze" and form.is_valid():
                data = form.cleaned_data
                services.freeze(
                    staff,
                    screening_number,
                    scope=data["scope"],
                    reason=data["reason"],
                    visit_number=data["visit_number"],
                    kind=data["kind"] or "",
                    record_id=data["record_id"],
                )
                messages.success(request, _("Frozen."))
                return HttpResponseRedirect(reverse("freeze", args=[screening_number]))
        except OligotrialError as exc:
            target = release if request.POST.get("action") == "unfreeze" else form
            add_service_error(target, exc, target.fields)
    context = {"p": patient, "freezes": freezes_of(staff, screening_number), "form": form}
    context["release"] = release
    bad = request.method == "POST" and (form.errors or release.errors)
    return render(request, "web/signing/freeze.html", context, status=400 if bad else 200)


@login_required
def lock_page(request: HttpRequest) -> HttpResponse:
    """The pre-lock checklist, and the lock or unlock with a reason (data managers)."""
    staff = _require_data_manager(request)
    form = ReasonForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid():
        try:
            if action == "unlock":
                services.unlock_database(staff, reason=form.cleaned_data["reason"])
                messages.success(request, _("The database is unlocked."))
            else:
                services.lock_database(staff, reason=form.cleaned_data["reason"])
                messages.success(request, _("The database is locked."))
            return HttpResponseRedirect(reverse("database_lock"))
        except LockRefused:
            form.add_error(
                None, _("The database cannot be locked while the checklist has open items.")
            )
        except OligotrialError as exc:
            add_service_error(form, exc, form.fields)
    checklist = checklist_for(staff)
    groups = [(c, [i for i in checklist.items if i.category == c]) for c in CATEGORIES]
    context = {
        "state": TrialState.objects.get(id=1),
        "checklist": checklist,
        "groups": groups,
        "form": form,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "web/signing/lock.html", context, status=status)
