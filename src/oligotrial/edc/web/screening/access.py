"""Who may open the screening, consent and randomization pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from oligotrial.edc.models import Patient, Staff
from oligotrial.edc.services.access import ENTRY_ROLES, readable_patient
from oligotrial.edc.web.accounts import staff_of
from oligotrial.errors import InputError


def signed_in_staff(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("this account is not linked to an active member of the staff")
    return staff


def entry_staff(request: HttpRequest) -> Staff:
    """The signed-in investigator or coordinator of a site (others may not enter data)."""
    staff = signed_in_staff(request)
    if staff.role not in ENTRY_ROLES or staff.site_id is None:
        raise PermissionDenied("entering screening data needs an investigator or coordinator")
    return staff


def can_enter(staff: Staff | None) -> bool:
    return staff is not None and staff.role in ENTRY_ROLES and staff.site_id is not None


def patient_or_404(staff: Staff, screening_number: str) -> Patient:
    """The patient if ``staff`` may read it; another site's patient is not found."""
    try:
        return readable_patient(staff, screening_number)
    except InputError:
        raise Http404("no such patient at your site") from None
