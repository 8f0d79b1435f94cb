"""A session ends after the idle timeout; a request within it moves the expiry on."""

from __future__ import annotations

import datetime as dt


def _client_as(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    user = get_user_model().objects.get(username=username)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def test_idle_session_ends_and_active_one_is_extended() -> None:
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from oligotrial.edc.web.middleware import _SEEN

    assert settings.SESSION_COOKIE_AGE == 30 * 60  # the documented default
    client = _client_as("coord-S01")
    key = client.session.session_key
    assert client.get("/").status_code == 200
    first = Session.objects.get(session_key=key).expire_date
    assert abs((first - timezone.now()) - dt.timedelta(minutes=30)) < dt.timedelta(minutes=1)

    # a request a minute or more after the last refresh moves the expiry on
    session = client.session
    session[_SEEN] = 0
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5)
    )
    assert client.get("/").status_code == 200
    moved = Session.objects.get(session_key=key).expire_date
    assert moved - timezone.now() > dt.timedelta(minutes=29)

    # after the timeout without a request, the next page asks to sign in again
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
