"""Per-request rules: times shown in the sites' zone; TOTP required for some roles."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation

from oligotrial.edc.web.accounts import needs_two_factor, staff_of

Handler = Callable[[HttpRequest], HttpResponse]


class DisplayTimeZoneMiddleware:
    """Times are stored in UTC and shown in ``OLIGOTRIAL_DISPLAY_TIME_ZONE`` (Asia/Shanghai)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.zone = zoneinfo.ZoneInfo(
            getattr(settings, "OLIGOTRIAL_DISPLAY_TIME_ZONE", "Asia/Shanghai")
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(self.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SiteLanguageMiddleware:
    """A site's staff see their site's language (Chinese at the trial's Chinese sites) until
    they choose one with the language switch, whose cookie then decides; staff with no site
    (the trial office) get the language their browser asks for."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            staff = staff_of(request.user)
            if staff is not None and staff.site is not None:
                translation.activate(staff.site.language)
                request.LANGUAGE_CODE = staff.site.language
        return self.get_response(request)


#: pages a user who still has to set up TOTP may open
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/")


class RequireTwoFactorMiddleware:
    """A signed-in investigator, data manager or statistician without TOTP is sent to set
    it up before any trial page opens (21 CFR 11.300; the protocol's access rules)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        staff = staff_of(request.user)
        if (
            needs_two_factor(staff)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


#: the idle clock is moved on at most this often (one session write per minute, not per page)
REFRESH_SECONDS = 60
_SEEN = "oligotrial_seen"


class IdleTimeoutMiddleware:
    """A session ends ``SESSION_COOKIE_AGE`` seconds after the last request (21 CFR
    11.300(d)): each request moves the session's expiry on, writing it at most once a
    minute (the timeout is exact to that minute)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - int(session.get(_SEEN, 0)) >= REFRESH_SECONDS:
                session[_SEEN] = now  # modified: saved with a new expiry after the response
        return self.get_response(request)
