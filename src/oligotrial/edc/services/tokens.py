"""API tokens: issued to a staff member, checked on every API request, revoked at will.

The token itself is shown once, at issue; the database keeps its SHA-256 hash (a token is 256
random bits, so a plain hash cannot be reversed by guessing) and its first characters to tell
tokens apart. A token works while it is neither expired nor revoked, its staff member is
active, and that member still has the role and site the token was issued for. Issue and
revocation are audited; the token never is (21 CFR 11.300(b), (d)).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from oligotrial.edc.models import ApiToken, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_int, require_text
from oligotrial.errors import InputError, PermissionDenied, StateError

#: every token starts so (and is recognisable to secret scanners)
TOKEN_PREFIX = "olt_"
PREFIX_LENGTH = 12
MAX_DAYS = 366
#: ``last_used_at`` is written at most this often per token (not on every request)
USE_RECORDED_EVERY = dt.timedelta(minutes=1)
_HIDDEN = ("token_hash",)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _audited(token: ApiToken) -> dict[str, Any]:
    return {k: v for k, v in audit.snapshot(token).items() if k not in _HIDDEN}


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the secret (shown once) and its stored row."""

    secret: str
    row: ApiToken


@atomic_service
def create_token(username: str, *, days: int = 90, name: str = "") -> IssuedToken:
    """Issue a token to the active staff member ``username``, valid for ``days`` days."""
    require_text(username, "username", max_length=150, blank=False)
    require_int(days, "days")
    require_text(name, "name", max_length=80)
    if not 1 <= days <= MAX_DAYS:
        raise InputError("days", f"{days} is not between 1 and {MAX_DAYS}")
    staff = Staff.objects.select_related("site").filter(username=username).first()
    if staff is None or not staff.active:
        raise PermissionDenied(f"user {username!r} is not an active member of the trial staff")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        staff=staff,
        name=name.strip(),
        prefix=secret[:PREFIX_LENGTH],
        token_hash=token_hash(secret),
        role=staff.role,
        site_code=staff.site.code if staff.site else "",
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.append(None, "create", row, audit.changes_between(None, _audited(row)))
    return IssuedToken(secret, row)


def token_state(token: ApiToken, now: dt.datetime | None = None) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if token.expires_at <= (now or timezone.now()) else "active"


def list_tokens(username: str | None = None) -> list[dict[str, Any]]:
    """Every token (of one staff member when ``username`` is given), never the secret."""
    rows = ApiToken.objects.select_related("staff").order_by("id")
    if username is not None:
        rows = rows.filter(staff__username=require_text(username, "username", max_length=150))
    now = timezone.now()
    return [
        {
            "id": t.id,
            "prefix": t.prefix,
            "user": t.staff.username,
            "role": t.role,
            "site": t.site_code or None,
            "name": t.name,
            "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "state": token_state(t, now),
        }
        for t in rows
    ]


@atomic_service
def revoke_token(token_id: int, *, reason: str) -> ApiToken:
    """Revoke a token at once (audited with the reason)."""
    require_int(token_id, "token_id")
    reason = require_text(reason, "reason", max_length=2000, blank=False)
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None:
        raise InputError("token_id", f"no token {token_id}")
    if token.revoked_at is not None:
        raise StateError(f"token {token_id} was already revoked on {token.revoked_at:%Y-%m-%d}")
    before = _audited(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.append(
        None, "revoke", token, audit.changes_between(before, _audited(token)), reason=reason
    )
    return token


def staff_for_token(secret: str) -> Staff | None:
    """The staff member a token acts as, or None when the token does not work (unknown,
    expired, revoked, its user inactive, or their role or site changed since issue)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("staff", "staff__site")
        .filter(token_hash=token_hash(secret))
        .first()
    )
    now = timezone.now()
    if token is None or token_state(token, now) != "active":
        return None
    staff = token.staff
    site_code = staff.site.code if staff.site else ""
    if not staff.active or staff.role != token.role or site_code != token.site_code:
        return None
    if token.last_used_at is None or now - token.last_used_at >= USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return staff
