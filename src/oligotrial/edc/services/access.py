"""Who may do what: roles and site isolation, enforced by every service.

Site roles (investigator, coordinator) see and change only their site's patients; a monitor
reads (one site, or all when bound to none) and never writes; only data managers lock the
database and manage queries; only statisticians read the allocation list and its seed
(ICH E6(R3) 3.16; 21 CFR 11.10(d), (g)).
"""

from __future__ import annotations

from django.db.models import QuerySet

from oligotrial.edc.models import SITE_ROLES, Patient, Role, Staff, TrialState
from oligotrial.errors import InputError, PermissionDenied, StateError

ENTRY_ROLES = frozenset({Role.INVESTIGATOR, Role.COORDINATOR})


def get_actor(username: str) -> Staff:
    """The active staff member ``username``; refused when unknown or inactive."""
    staff = Staff.objects.select_related("site").filter(username=username).first()
    if staff is None or not staff.active:
        raise PermissionDenied(f"user {username!r} is not an active member of the trial staff")
    return staff


def require_role(actor: Staff, roles: frozenset[str] | set[str], action: str) -> None:
    if actor.role not in roles:
        allowed = ", ".join(sorted(str(r) for r in roles))
        raise PermissionDenied(
            f"{action} needs one of the roles {allowed}; {actor.username} is {actor.role}"
        )


def _sees_site(actor: Staff, site_id: int) -> bool:
    if actor.role in SITE_ROLES or (actor.role == Role.MONITOR and actor.site_id is not None):
        return actor.site_id == site_id
    return True


def visible_patients(actor: Staff) -> QuerySet[Patient]:
    """The patients ``actor`` may read."""
    qs = Patient.objects.select_related("site")
    if actor.role in SITE_ROLES or (actor.role == Role.MONITOR and actor.site_id is not None):
        return qs.filter(site=actor.site)
    return qs


def readable_patient(actor: Staff, screening_number: str) -> Patient:
    """The patient, if ``actor`` may read it (a patient of another site reads as unknown)."""
    patient = (
        Patient.objects.select_related("site").filter(screening_number=screening_number).first()
    )
    if patient is None or not _sees_site(actor, patient.site_id):
        raise InputError("patient", f"no patient {screening_number!r} at your site(s)")
    return patient


def require_entry(actor: Staff, patient: Patient, action: str) -> None:
    """``actor`` may enter or change data of ``patient`` (own site, entry role)."""
    require_role(actor, ENTRY_ROLES, action)
    if actor.site_id != patient.site_id:
        raise PermissionDenied(
            f"{actor.username} works for another site than patient {patient.screening_number}"
        )


def writable_patient(actor: Staff, screening_number: str, action: str) -> Patient:
    patient = readable_patient(actor, screening_number)
    require_entry(actor, patient, action)
    return patient


def require_unlocked() -> None:
    """Refuse any change once the database is locked for analysis."""
    state = TrialState.objects.filter(id=1).first()
    if state is not None and state.locked:
        raise StateError(
            f"the database is locked (since {state.locked_at:%Y-%m-%d %H:%M} UTC "
            f"by {state.locked_by}); no change is possible"
        )
