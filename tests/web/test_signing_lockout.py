"""Failed signing attempts count toward the lockout like failed sign-ins: each is audited,
the fifth locks the account, and a locked investigator can neither sign (even with the
right password and code) nor sign in until the lockout is reset (Django's test client, and
Chromium in English and Chinese)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_sign_in import sign_in, submit
from test_signing_browser import _code, _sign_in_with_code
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
    from django.contrib.auth import get_user_model

    from oligotrial.edc.models import AuditEntry, Signature, Staff
    from oligotrial.edc.services.lockouts import unlock_account

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
    admin = Staff.objects.get(username="admin")
    # five failed signings and the refused sign-in while locked (axes counts that one too)
    assert unlock_account(admin, USER, reason="identity confirmed by telephone") == 6
    entry = AuditEntry.objects.filter(action="unlock_account").latest("seq")
    assert (entry.actor, entry.reason) == ("admin", "identity confirmed by telephone")
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
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from oligotrial.edc.models import Staff
    from oligotrial.edc.services.lockouts import unlock_account

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
    unlock_account(Staff.objects.get(username="admin"), USER, reason="end of the test")


def test_the_lockout_in_the_browser(
    page: Page, server: str, lockout_db: dict[str, Any], shots: Path
) -> None:
    from oligotrial.edc.models import Signature, Staff
    from oligotrial.edc.services.lockouts import unlock_account

    switch_database(lockout_db)
    page.set_default_timeout(90_000)  # the first pages took over 30 s on a loaded 2-core machine
    who = "inv2-S01"
    _sign_in_with_code(page, server, who)
    page.goto(f"{server}{SIGN}")
    for _ in range(4):
        page.get_by_label("Password").fill("not-my-password-1")
        page.get_by_label("Authenticator code").fill("123456")
        submit(page)
        expect(page.locator("div.error")).to_contain_text("the password is not correct")
    page.get_by_label("Password").fill("not-my-password-1")
    page.get_by_label("Authenticator code").fill("123456")
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Account locked")
    expect(page.get_by_role("alert")).to_contain_text("failed sign-in or signing attempts")
    page.screenshot(path=str(shots / "web-signing-locked-en.png"), full_page=True)
    page.goto(f"{server}{SIGN}")  # the right password and code: refused all the same
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Authenticator code").fill(_code(who))
    submit(page)
    expect(page.locator("div.error")).to_contain_text("the account is locked")
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("身份验证器验证码").fill(_code(who))
    submit(page)
    expect(page.locator("div.error")).to_contain_text("账户已锁定")
    page.screenshot(path=str(shots / "web-signing-locked-zh.png"), full_page=True)
    assert not Signature.objects.filter(signer__username=who).exists()
    page.context.clear_cookies()
    sign_in(page, server, who)
    expect(page.get_by_role("heading", level=1)).to_have_text("Account locked")
    unlock_account(Staff.objects.get(username="admin"), who, reason="identity checked")
    _sign_in_with_code(page, server, who)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Account locked")
