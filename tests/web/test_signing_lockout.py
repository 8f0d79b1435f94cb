"""Failed signing attempts count toward the lockout like failed sign-ins: each is audited,
the fifth locks the account, and a locked investigator can neither sign (even with the
right password and code) nor sign in until the lockout is reset (Django's test client)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import PASSWORD, build_web_trial, fresh_totp, switch_database

pytestmark = pytest.mark.slow
SIGN = "/patients/S01-001/signatures/"
USER = "inv-S01"


@pytest.fixture(scope="module")
def lockout_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "signing-lockout")


@pytest.fixture
def client(lockout_db: dict[str, Any]) -> Iterator[Any]:
    from django.test import Client

    switch_database(lockout_db)
    yield Client(HTTP_HOST="127.0.0.1")


def _secret() -> str:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from oligotrial.edc.models import Staff

    user = Staff.objects.get(username=USER).user
    Authenticator.objects.filter(user=user).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _refusals() -> list[str]:
    from oligotrial.edc.models import AuditEntry

    rows = AuditEntry.objects.filter(action="sign_refused", actor=USER).order_by("seq")
    return list(rows.values_list("reason", flat=True))


def test_failed_signing_attempts_lock_the_account_for_signing_and_sign_in(client: Any) -> None:
    from axes.utils import reset
    from django.contrib.auth import get_user_model

    from oligotrial.edc.models import Signature

    secret, used = _secret(), set[str]()
    client.force_login(
        get_user_model().objects.get(username=USER),
        backend="allauth.account.auth_backends.AuthenticationBackend",
    )
    for attempt in range(1, 5):
        response = client.post(SIGN, {"password": "wrong-password-123", "code": "123456"})
        assert response.status_code == 400
        assert "not signed: the password is not correct" in response.content.decode()
        assert len(_refusals()) == attempt
    code = fresh_totp(secret, used)
    locking = client.post(SIGN, {"password": PASSWORD, "code": f"{(int(code) + 1) % 10**6:06d}"})
    assert "Account locked" in locking.content.decode()  # a wrong code is the fifth failure
    assert len(_refusals()) == 5 and "authenticator code is not correct" in _refusals()[-1]
    right = client.post(SIGN, {"password": PASSWORD, "code": fresh_totp(secret, used)})
    assert right.status_code == 400
    assert "the account is locked after repeated failed" in right.content.decode()
    assert len(_refusals()) == 6 and "account is locked" in _refusals()[-1]
    assert not Signature.objects.exists()
    client.logout()
    sign_in = client.post("/accounts/login/", {"login": USER, "password": PASSWORD})
    assert "Account locked" in sign_in.content.decode()
    assert "_auth_user_id" not in client.session
    reset(username=USER)  # the administrator's reset (``axes_reset_username``)
    sign_in = client.post("/accounts/login/", {"login": USER, "password": PASSWORD})
    assert sign_in.status_code == 302 and "Account locked" not in sign_in.content.decode()
    client.force_login(
        get_user_model().objects.get(username=USER),
        backend="allauth.account.auth_backends.AuthenticationBackend",
    )
    signed = client.post(SIGN, {"password": PASSWORD, "code": fresh_totp(secret, used)})
    assert signed.status_code == 302 and Signature.objects.count() == 1
    assert len(_refusals()) == 6


def test_a_chinese_reader_sees_the_lockout_refusal_in_chinese(client: Any) -> None:
    from axes.utils import reset
    from django.conf import settings
    from django.contrib.auth import get_user_model

    _secret()
    client.force_login(
        get_user_model().objects.get(username=USER),
        backend="allauth.account.auth_backends.AuthenticationBackend",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    for _ in range(5):
        last = client.post(SIGN + "?visit=0", {"password": "wrong-password-123", "code": "1"})
    assert "账户已锁定" in last.content.decode()
    again = client.post(SIGN + "?visit=0", {"password": PASSWORD, "code": "123456"})
    assert "未签名：登录或签名验证多次失败，账户已锁定" in again.content.decode()
    reset(username=USER)
