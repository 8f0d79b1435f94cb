"""Sign-in accounts of the trial staff: set a staff member's password (audited).

A staff member signs in to the web application with a Django user linked to their
``Staff`` record (same user name). The password must pass the configured validators; the
audit trail records that it was set and the user linked, never the password or its hash
(21 CFR 11.300(b): credentials are issued and changed under control).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from oligotrial.edc.models import Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.errors import InputError, PermissionDenied


@atomic_service
def set_password(username: str, password: str, *, reason: str = "password set") -> Staff:
    """Give the active staff member ``username`` a sign-in password (creating their user)."""
    staff = Staff.objects.select_related("site").filter(username=username).first()
    if staff is None or not staff.active:
        raise PermissionDenied(f"user {username!r} is not an active member of the trial staff")
    user_model = get_user_model()
    user = staff.user or user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InputError("password", " ".join(str(m) for m in exc.messages)) from None
    user.set_password(password)
    user.is_active = True
    user.save()
    before = audit.snapshot(staff)
    staff.user = user
    staff.save(update_fields=["user"])
    changes = audit.changes_between(before, audit.snapshot(staff))
    changes["password"] = ["(not recorded)", "(set)"]
    audit.append(None, "set_password", staff, changes, reason=reason)
    return staff
