"""Who may do what: roles and site isolation, enforced by every service.

Site roles (investigator, coordinator) see and change only their site's patients; a monitor
reads (one site, or all when bound to none) and never writes; only data managers lock the
database and manage queries; only statisticians read the allocation list and its seed
(ICH E6(R3) 3.16; 21 CFR 11.10(d), (g)).

Nothing the caller passes is believed: the acting staff member is read again from the
database (saved, still there, active; role and site as stored) by every check here, and a
patient of another site reads exactly like a patient that does not exist.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from oligotrial.edc.models import SITE_ROLES, Patient, Role, Staff, TrialState
from oligotrial.edc.services.transactions import CURRENT_CALL
from oligotrial.edc.services.validation import require_text
from oligotrial.errors import InputError, PermissionDenied, StateError

ENTRY_ROLES = frozenset({Role.INVESTIGATOR, Role.COORDINATOR})
#: Marks a staff object read from the database during the service call it holds.
_READ_IN = "_oligotrial_read_in"


def get_actor(username: str) -> Staff:
    """The active staff member ``username``; refused when unknown or inactive."""
    if not isinstance(username, str):
        raise PermissionDenied("the user name is not text")
    staff = Staff.objects.select_related("site").filter(username=username).first()
    if staff is None or not staff.active:
        raise PermissionDenied(f"user {username!r} is not an active member of the trial staff")
    return staff


def current_actor(actor: object) -> Staff:
    """``actor`` as stored now: refused unless a saved, existing, active staff member.

    Role, site and name come from the database, never from the object passed in, so a
    deactivated user or an unsaved ``Staff(role="statistician")`` is refused. Within one
    service call the staff member is read once; the checks that follow reuse it.
    """
    if not isinstance(actor, Staff) or actor.pk is None:
        raise PermissionDenied("the acting user is not a registered member of the trial staff")
    call = CURRENT_CALL.get() if connection.in_atomic_block else None
    if call is not None and getattr(actor, _READ_IN, None) is call:
        return actor
    staff = Staff.objects.select_related("site").filter(pk=actor.pk).first()
    if staff is None or not staff.active or staff.username != actor.username:
        raise PermissionDenied(
            f"user {actor.username!r} is not an active member of the trial staff"
        )
    if call is not None:
        setattr(staff, _READ_IN, call)
    return staff


def require_role(actor: Staff, roles: frozenset[str] | set[str], action: str) -> None:
    staff = current_actor(actor)
    if staff.role not in roles:
        allowed = ", ".join(sorted(str(r) for r in roles))
        raise PermissionDenied(
            f"{action} needs one of the roles {allowed}; {staff.username} is {staff.role}"
        )


def _bound_to_site(staff: Staff) -> bool:
    return staff.role in SITE_ROLES or (staff.role == Role.MONITOR and staff.site_id is not None)


def _sees_site(staff: Staff, site_id: int) -> bool:
    return staff.site_id == site_id if _bound_to_site(staff) else True


def visible_patients(actor: Staff) -> QuerySet[Patient]:
    """The patients ``actor`` may read."""
    staff = current_actor(actor)
    qs = Patient.objects.select_related("site")
    if _bound_to_site(staff):
        return qs.filter(site=staff.site)
    return qs


def no_such_patient(screening_number: object) -> InputError:
    """The one answer for a patient that does not exist or belongs to another site."""
    return InputError("patient", f"no patient {screening_number!r} at your site(s)")


def readable_patient(actor: Staff, screening_number: str) -> Patient:
    """The patient, if ``actor`` may read it (a patient of another site reads as unknown)."""
    staff = current_actor(actor)
    number = require_text(screening_number, "screening_number", max_length=32)
    patient = Patient.objects.select_related("site").filter(screening_number=number).first()
    if patient is None or not _sees_site(staff, patient.site_id):
        raise no_such_patient(screening_number)
    return patient


def require_entry(actor: Staff, patient: Patient, action: str) -> None:
    """``actor`` may enter or change data of ``patient`` (own site, entry role).

    Another site's patient is refused exactly as a patient that does not exist."""
    require_role(actor, ENTRY_ROLES, action)
    staff = current_actor(actor)
    if staff.site_id != patient.site_id:
        raise no_such_patient(patient.screening_number)


def lock_patient(patient: Patient) -> Patient:
    """The patient row again, locked to the end of the transaction.

    Every change to a patient's data holds this lock, so two changes of the same patient
    run one after the other and each sees what the other wrote (PostgreSQL ``FOR NO KEY
    UPDATE``: inserts that refer to the patient are not blocked; SQLite's ``BEGIN
    IMMEDIATE`` already runs one writer at a time). Only the patient row is locked, not its
    site's."""
    locked = Patient.objects.select_for_update(no_key=True, of=("self",))
    return locked.select_related("site").get(pk=patient.pk)


def writable_patient(actor: Staff, screening_number: str, action: str) -> Patient:
    """The patient, locked (see :func:`lock_patient`), if ``actor`` may change its data."""
    require_role(actor, ENTRY_ROLES, action)
    staff = current_actor(actor)
    number = require_text(screening_number, "screening_number", max_length=32)
    locked = Patient.objects.select_for_update(no_key=True, of=("self",))
    patient = locked.select_related("site").filter(screening_number=number).first()
    if patient is None or patient.site_id != staff.site_id:
        raise no_such_patient(screening_number)
    return patient


def require_unlocked() -> None:
    """Refuse any change once the database is locked for analysis.

    On PostgreSQL the trial state row is read ``FOR SHARE``: changes in flight do not wait
    for each other, but locking the database waits for them, and a change started after the
    lock sees it. The statement is fixed SQL (no ORM query built on every change)."""
    table = TrialState._meta.db_table
    share = " FOR SHARE" if connection.vendor == "postgresql" and connection.in_atomic_block else ""
    with connection.cursor() as cursor:  # one fixed statement: it runs in every change
        cursor.execute(
            f'SELECT "locked", "locked_at", "locked_by" FROM "{table}" WHERE id = 1{share}'
        )
        row = cursor.fetchone()
    locked, locked_at, locked_by = row if row is not None else (False, None, "")
    if locked:
        raise StateError(
            f"the database is locked (since {locked_at:%Y-%m-%d %H:%M} UTC "
            f"by {locked_by}); no change is possible"
        )
