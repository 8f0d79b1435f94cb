"""Every link on the pages, followed as each role (two-factor where required), answers
without a server error or a dead end (no 4xx), a browser console error (a blocked script
or style counts) or a page of another site."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Page
from test_sign_in import sign_in, submit
from web_support import fresh_totp

pytestmark = pytest.mark.slow

ROLES = {
    "coord-S01": "coordinator",
    "inv-S01": "investigator",
    "coord-S02": "coordinator",
    "monitor": "monitor",
    "dm": "data_manager",
    "stat": "statistician",
    "admin": "admin",
}
NEEDS_TOTP = {"inv-S01", "dm", "stat"}
ENTERS_DATA = {"coord-S01", "inv-S01", "coord-S02"}
SKIP_PREFIXES = ("/i18n/", "/accounts/logout/")
MAX_PAGES = 60


def _give_totp(username: str) -> str:
    """Activate a TOTP authenticator for ``username`` (as the set-up page does)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_link_answers_without_error(page: Page, server: str, username: str) -> None:
    secret = _give_totp(username) if username in NEEDS_TOTP else None
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server, username)
    if secret is not None:
        page.locator("input[name=code]").fill(fresh_totp(secret, set()))
        submit(page)
    host = urlsplit(server).netloc
    seen: set[str] = set()
    first = {"coord-S02": "S02-001"}.get(username, "S01-001")
    # the visit pages (their forms post; the links on them are followed like any other)
    queue = [f"{server}/", *(f"{server}/patients/{first}/visits/{n}/" for n in (0, 1, 2))]
    statuses: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None
        statuses[url] = response.status
        assert response.status < 400, f"{url} answered {response.status} for {username}"
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            link = urldefrag(href).url
            parts = urlsplit(link)
            if parts.netloc != host or parts.path.startswith(SKIP_PREFIXES):
                continue
            if link not in seen:
                queue.append(link)
    assert errors == [], f"console errors as {username}: {errors}"
    patients = [u for u in statuses if "/patients/" in u and "/patients/new/" not in u]
    own = {"coord-S01": "S01-", "inv-S01": "S01-", "coord-S02": "S02-"}.get(username)
    if own is not None:  # a site user is led only to the site's own patients
        assert patients and all(own in u for u in patients), patients
    else:
        assert any("S01-" in u for u in patients) and any("S02-" in u for u in patients)
    assert all(statuses[u] == 200 for u in patients)
    # the screening, consent and randomization pages are among them
    for part in ("/consent/", "/randomize/"):
        assert any(part in u for u in patients), (username, part)
    if username in ENTERS_DATA:
        assert any(u.endswith("/patients/new/screening/") for u in statuses)
        assert any(u.endswith("-001/screening/") for u in statuses), username
