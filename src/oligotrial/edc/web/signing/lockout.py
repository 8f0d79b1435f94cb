"""Failed signing attempts count toward the account's lockout, as failed sign-ins do.

A wrong password or authenticator code at signing is reported to django-axes as a failed
authentication of the signer (Django's ``user_login_failed`` signal, with the signer's user
name): the same counter, limit and cool-off as the sign-in page (settings: user name and
address, ``AXES_FAILURE_LIMIT``). Once locked, the signer can neither sign nor sign in until
the cool-off passes or the administrator resets the lockout; a successful signing resets the
count as a successful sign-in does (21 CFR 11.300(d): attempts at unauthorized use detected).
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest


def _credentials(request: HttpRequest, username: str | None) -> dict[str, str]:
    return {"username": username if username is not None else request.user.get_username()}


def is_locked(request: HttpRequest, username: str | None = None) -> bool:
    """Whether the signed-in user (or ``username``, the signer behind an API token) is locked
    out, by failed sign-ins or signing attempts."""
    return bool(AxesProxyHandler.is_locked(request, _credentials(request, username)))


def count_failure(request: HttpRequest, username: str | None = None) -> None:
    """Record a failed re-authentication at signing; axes marks the request locked out when
    this failure reaches the limit (its middleware then answers with the lockout page)."""
    credentials = _credentials(request, username)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)


def count_failure_keep_answer(request: HttpRequest, username: str) -> None:
    """``count_failure`` for the REST API: the failure counts the same, but the API keeps
    its own JSON answer instead of the lockout page the middleware would put in its place."""
    count_failure(request, username)
    request.axes_locked_out = False  # type: ignore[attr-defined]


def reset_after_success(request: HttpRequest, username: str | None = None) -> None:
    """Forget the signer's failures from this address once the signer re-authenticated."""
    if getattr(settings, "AXES_RESET_ON_SUCCESS", False):
        AxesProxyHandler.update_request(request)
        AxesProxyHandler.reset_attempts(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            username=_credentials(request, username)["username"],
        )
