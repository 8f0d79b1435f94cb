"""Investigator e-signatures of a patient's casebook or visit: list (any reader), sign with
re-authentication and void with a reason (the site's investigators), over
``services.signatures``.

Another site's patient answers 404 before any role check, as a missing one does. The
password and authenticator code travel in the body only; a refused re-authentication is
audited by the service and answered 403 naming the credential, never echoing it. A refused
re-authentication counts toward the signer's lockout as on the signing page (the same
counter as failed sign-ins); a locked signer is refused, and audited, before the credentials
are even checked.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import ErrorOut, error_responses
from oligotrial.edc.api.office_schemas import SignatureOut, SignIn, VoidIn
from oligotrial.edc.api.schemas import ScreeningNumber
from oligotrial.edc.models import Signature, Staff
from oligotrial.edc.services.access import readable_patient
from oligotrial.edc.services.signatures import (
    LOCKED,
    ReauthenticationFailed,
    refuse_locked,
    sign,
    signatures_of,
    void_signature,
)
from oligotrial.edc.web.signing import lockout
from oligotrial.errors import PermissionDenied

router = Router(tags=["signatures"])
#: how the signing service's refusals of the credentials begin
NOT_SIGNED = "not signed: "


def _login_name(staff: Staff) -> str:
    """The sign-in name the lockout counts under (the staff member's Django account)."""
    user = staff.user
    return user.get_username() if user is not None else staff.username


def signature_out(row: Signature) -> dict[str, Any]:
    return {
        "id": row.pk,
        "scope": row.scope,
        "visit_number": row.visit.number if row.visit is not None else None,
        "signer": row.signer.username,
        "printed_name": row.printed_name,
        "meaning": row.meaning,
        "signed_at": row.signed_at.isoformat(),
        "content_hash": row.content_hash,
        "in_force": row.voided_at is None,
        "voided_at": row.voided_at.isoformat() if row.voided_at else None,
        "void_reason": row.void_reason,
    }


@router.get(
    "/patients/{screening_number}/signatures",
    response={200: list[SignatureOut], **error_responses()},
)
def signatures(request: HttpRequest, screening_number: ScreeningNumber) -> Any:
    """The patient's signatures, newest first, voided ones too (with why)."""
    return [signature_out(s) for s in signatures_of(actor(request), screening_number)]


@router.post(
    "/patients/{screening_number}/signatures",
    response={201: SignatureOut, **error_responses()},
)
def sign_casebook(request: HttpRequest, screening_number: ScreeningNumber, payload: SignIn) -> Any:
    """Sign the casebook (or the visit ``visit_number``) as "reviewed and approved", with
    the signer's password and a current authenticator code (the site's investigators)."""
    staff = actor(request)
    readable_patient(staff, screening_number)  # another site's patient: 404 first
    try:
        if lockout.is_locked(request, _login_name(staff)):
            refuse_locked(staff, screening_number, visit_number=payload.visit_number)
        row = sign(
            staff,
            screening_number,
            visit_number=payload.visit_number,
            password=payload.password,
            totp_code=payload.totp_code,
        )
    except PermissionDenied as exc:
        text = str(exc)
        if not text.startswith(NOT_SIGNED):
            raise
        if isinstance(exc, ReauthenticationFailed):
            lockout.count_failure_keep_answer(request, _login_name(staff))
        field = "password" if "password" in text or LOCKED in text else "totp_code"
        return Status(403, ErrorOut(field=field, problem=text))
    lockout.reset_after_success(request, _login_name(staff))
    row = Signature.objects.select_related("visit", "signer").get(pk=row.pk)
    return Status(201, signature_out(row))


@router.post(
    "/patients/{screening_number}/signatures/{signature_id}/void",
    response={200: SignatureOut, **error_responses()},
)
def void(
    request: HttpRequest, screening_number: ScreeningNumber, signature_id: int, payload: VoidIn
) -> Any:
    """Void a signature in force, with the reason (the site's investigators; audited)."""
    staff = actor(request)
    readable_patient(staff, screening_number)
    row = void_signature(staff, screening_number, signature_id, reason=payload.reason)
    row = Signature.objects.select_related("visit", "signer").get(pk=row.pk)
    return signature_out(row)
