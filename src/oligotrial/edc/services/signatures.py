"""Investigator e-signature of a patient's casebook or of one visit (21 CFR 11.50, 11.70,
11.200).

Signing needs both of the signer's credentials again at the moment of signing: the password
and a current code of the signer's authenticator app (TOTP, through django-allauth's MFA).
The signature records the printed name, the time (UTC), its meaning and the SHA-256 of the
canonical serialisation of what was signed (services.signed_content). A refused attempt
(wrong password or code) is audited, and nothing is signed; a wrong password or code raises
:class:`ReauthenticationFailed`, which the web layer counts toward the account's lockout as
a failed sign-in (21 CFR 11.300(d)); a locked account's attempt is refused and audited too.
A later change of signed data voids the signature (services.data_guard); the casebook or
visit must then be signed again. An investigator of the patient's site may also void a
signature in force, giving the reason (audited; the row stays, voided, 21 CFR 11.10(e)).
"""

from __future__ import annotations

from django.utils import timezone

from oligotrial.edc.models import Patient, Role, Signature, SignatureScope, Staff, Visit
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    current_actor,
    readable_patient,
    require_role,
    require_unlocked,
    writable_patient,
)
from oligotrial.edc.services.signed_content import content_hash
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_int, require_text
from oligotrial.errors import InputError, PermissionDenied, StateError

#: What an investigator's signature means (21 CFR 11.50(a)(3)).
MEANING = "reviewed and approved"
SIGNERS = frozenset({Role.INVESTIGATOR})
WRONG_PASSWORD = "the password is not correct"
WRONG_CODE = "the authenticator code is not correct (or was already used)"
LOCKED = (
    "the account is locked after repeated failed sign-in or signing attempts; "
    "the trial's administrator can unlock it"
)


class ReauthenticationFailed(PermissionDenied):
    """A wrong password or authenticator code at signing: a failed authentication."""


def _visit(patient: Patient, visit_number: object) -> Visit | None:
    if visit_number is None:
        return None
    number = require_int(visit_number, "visit_number")
    visit = Visit.objects.filter(patient=patient, number=number).first()
    if visit is None:
        raise InputError(
            "visit_number", f"patient {patient.screening_number} has no visit {number}"
        )
    return visit


def credentials_problem(staff: Staff, password: object, totp_code: object) -> str | None:
    """Why the password and authenticator code do not prove ``staff``'s identity (None: they
    do). A used code is not accepted twice (allauth keeps used codes)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not isinstance(password, str) or not password:
        return "the password is required"
    if not isinstance(totp_code, str) or not totp_code.strip():
        return "the authenticator code is required"
    user = staff.user
    if user is None or not user.is_active or not user.check_password(password):
        return WRONG_PASSWORD
    device = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if device is None:
        return "signing needs an authenticator app (TOTP): set one up first"
    if not TOTP(device).validate_code(totp_code.strip()):
        return WRONG_CODE
    return None


def sign(
    actor: Staff,
    screening_number: str,
    *,
    visit_number: int | None = None,
    password: str,
    totp_code: str,
) -> Signature:
    """Sign the patient's casebook (``visit_number`` None) or one visit, after re-checking
    the signer's password and authenticator code; a failed check is audited and refused."""
    staff = current_actor(actor)
    require_role(staff, SIGNERS, "signing a casebook")
    problem = credentials_problem(staff, password, totp_code)
    if problem is not None:
        _record_refusal(staff, screening_number, visit_number, problem)
        failed = problem in (WRONG_PASSWORD, WRONG_CODE)
        raise (ReauthenticationFailed if failed else PermissionDenied)(f"not signed: {problem}")
    return _sign(staff, screening_number, visit_number)


def refuse_locked(actor: Staff, screening_number: str, *, visit_number: int | None) -> None:
    """Refuse (and audit) an attempt to sign by an account locked out after repeated
    failures; its credentials are not even checked."""
    staff = current_actor(actor)
    require_role(staff, SIGNERS, "signing a casebook")
    _record_refusal(staff, screening_number, visit_number, LOCKED)
    raise PermissionDenied(f"not signed: {LOCKED}")


@atomic_service
def _record_refusal(
    actor: Staff, screening_number: str, visit_number: object, problem: str
) -> None:
    patient = readable_patient(actor, screening_number)
    what = f"visit {visit_number}" if visit_number is not None else "casebook"
    audit.append(
        actor,
        "sign_refused",
        patient,
        {"signature": [None, what]},
        reason=f"re-authentication failed: {problem}",
        patient=patient,
    )


@atomic_service
def _sign(actor: Staff, screening_number: str, visit_number: int | None) -> Signature:
    actor = current_actor(actor)
    require_unlocked()
    patient = writable_patient(actor, screening_number, "signing a casebook")
    visit = _visit(patient, visit_number)
    digest = content_hash(patient, visit)
    current = Signature.objects.filter(patient=patient, visit=visit, voided_at=None).first()
    if current is not None and current.content_hash == digest:
        raise StateError(
            f"already signed by {current.printed_name} on {current.signed_at:%Y-%m-%d %H:%M} "
            "UTC and unchanged since"
        )
    signature = Signature.objects.create(
        patient=patient,
        scope=SignatureScope.CASEBOOK if visit is None else SignatureScope.VISIT,
        visit=visit,
        signer=actor,
        printed_name=actor.full_name or actor.username,
        meaning=MEANING,
        signed_at=timezone.now(),
        content_hash=digest,
    )
    changes = audit.changes_between(None, audit.snapshot(signature))
    audit.append(actor, "sign", signature, changes, patient=patient)
    return signature


@atomic_service
def void_signature(
    actor: Staff, screening_number: str, signature_id: int, *, reason: str
) -> Signature:
    """Void a signature in force of the patient (the site's investigators), with a reason;
    the void is audited and the casebook (or visit) then reads as unsigned."""
    actor = current_actor(actor)
    require_role(actor, SIGNERS, "voiding a signature")
    require_unlocked()
    why = require_text(reason, "reason", max_length=2000, blank=False).strip()
    patient = writable_patient(actor, screening_number, "voiding a signature")
    pk = require_int(signature_id, "signature_id")
    signature = Signature.objects.select_for_update().filter(pk=pk, patient=patient).first()
    if signature is None:
        raise InputError("signature_id", f"no signature {pk} of patient {screening_number}")
    if signature.voided_at is not None:
        raise StateError(
            f"signature {pk} was already voided on {signature.voided_at:%Y-%m-%d %H:%M} UTC"
        )
    before = audit.snapshot(signature)
    signature.voided_at, signature.void_reason = timezone.now(), why
    signature.save(update_fields=["voided_at", "void_reason"])
    changes = audit.changes_between(before, audit.snapshot(signature))
    audit.append(actor, "void_signature", signature, changes, reason=why, patient=patient)
    return signature


def signatures_of(actor: Staff, screening_number: str) -> list[Signature]:
    """Every signature of a patient the actor may read, newest first (voided ones too)."""
    patient = readable_patient(actor, screening_number)
    rows = Signature.objects.filter(patient=patient).select_related("visit", "signer")
    return list(rows.order_by("-signed_at", "-id"))


def signature_in_force(patient: Patient, visit: Visit | None) -> Signature | None:
    """The signature of the casebook (or visit) still in force, if any."""
    rows = Signature.objects.filter(patient=patient, visit=visit, voided_at=None)
    return rows.order_by("-signed_at").first()
