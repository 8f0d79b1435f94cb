"""Sign-in rules: no self sign-up (the administrator makes accounts), who must use TOTP,
and the user name an attempt names (for the lockout)."""

from __future__ import annotations

from typing import Any, cast

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from oligotrial.edc.models import Staff
from oligotrial.edc.web.config import MFA_REQUIRED_ROLES


class StaffAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts exist only for trial staff: nobody signs up through the web."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The user name of a sign-in attempt (allauth's form field is ``login``)."""
    if credentials and credentials.get("username"):
        return str(credentials["username"])
    value = request.POST.get("login") if request.method == "POST" else None
    return value or None


_UNKNOWN = object()


def staff_of(user: Any) -> Staff | None:
    """The active trial staff record linked to a signed-in Django user, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_oligotrial_staff", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cast("Staff | None", cached)
    staff = Staff.objects.select_related("site").filter(user=user, active=True).first()
    user._oligotrial_staff = staff
    return staff


def needs_two_factor(staff: Staff | None) -> bool:
    """Investigators, data managers and statisticians must use a second factor."""
    return staff is not None and staff.role in MFA_REQUIRED_ROLES
