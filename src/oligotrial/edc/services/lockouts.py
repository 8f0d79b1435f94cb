"""Releasing a locked-out account (administrators), with a reason, audited.

Five failed sign-ins or signing attempts lock a user name (django-axes; the web layer's
``signing.lockout``); the lock ends after the cool-off or when an administrator releases it
here. The audit entry names the account, how many failed attempts were forgotten and why
(21 CFR 11.300(d): attempts at unauthorized use are reported and handled).
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.db.models import Sum

from oligotrial.edc.models import Role, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_role
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_text
from oligotrial.errors import InputError

UNLOCKERS = frozenset({Role.ADMIN})


@atomic_service
def unlock_account(actor: Staff, username: str, *, reason: str) -> int:
    """Forget every failed attempt of ``username`` (all addresses); returns how many."""
    admin = current_actor(actor)
    require_role(admin, UNLOCKERS, "releasing a locked account")
    name = require_text(username, "username", max_length=150)
    why = require_text(reason, "reason", max_length=2000).strip()
    if not why:
        raise InputError("reason", "a reason is required to release a locked account")
    staff = Staff.objects.filter(username=name).first()
    if staff is None:
        raise InputError("username", f"no member of the trial staff is called {name!r}")
    attempts = AccessAttempt.objects.filter(username=name)
    failures = int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)
    attempts.delete()
    audit.append(admin, "unlock_account", staff, {"failed_attempts": [failures, 0]}, reason=why)
    return failures
