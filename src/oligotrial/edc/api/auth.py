"""Who is calling: a staff member by API token (``Authorization: Bearer olt_…``) or by the
web application's session (CSRF checked on every change), and how often they may call.

A request with a token acts as the token's staff member in every service, so its writes are
audited as that member. The token is never logged, echoed or put in a message. Rate limits
(per token or per signed-in user, and per address for failed tokens) protect the server and
slow down guessing; sign-in failures are locked out by axes (web settings).
"""

from __future__ import annotations

import os
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from oligotrial.edc.models import Staff
from oligotrial.edc.services.tokens import staff_for_token
from oligotrial.edc.web.accounts import staff_of

RATE_ENV = "OLIGOTRIAL_API_RATE"
DEFAULT_RATE = "1200/m"
#: failed token checks per address and minute before every token request from it is refused
FAILED_TOKENS_PER_MINUTE = 20


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


class TokenAuth(HttpBearer):
    """A staff member's API token (only its hash is stored; see ``services.tokens``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Staff | None:
        key = f"oligotrial-api-bad-token:{_address(request)}"
        failures = cache.get(key, 0)
        if failures >= FAILED_TOKENS_PER_MINUTE:
            raise Throttled(60)
        staff = staff_for_token(token.strip())
        if staff is None:
            if not cache.add(key, 1, 60):
                try:
                    cache.incr(key)
                except ValueError:  # expired between the two calls
                    cache.add(key, 1, 60)
            return None
        request.oligotrial_token = True  # type: ignore[attr-defined]
        return staff


class StaffSession(SessionAuth):
    """The web application's signed-in staff member (CSRF checked on unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Staff | None:
        return staff_of(request.user)


class StaffRateThrottle(SimpleRateThrottle):
    """Requests per staff member (token or session) per period: ``OLIGOTRIAL_API_RATE``
    (e.g. ``1200/m``)."""

    scope = "oligotrial-api"

    def __init__(self) -> None:
        super().__init__(os.environ.get(RATE_ENV) or DEFAULT_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        staff: Any = getattr(request, "auth", None)
        if not isinstance(staff, Staff):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"staff-{staff.pk}"}


def actor(request: HttpRequest) -> Staff:
    """The staff member the request acts as (set by the authentication above)."""
    staff = getattr(request, "auth", None)
    assert isinstance(staff, Staff)
    return staff
