"""A small trial for the web tests, built through the services, and a live server.

Two sites (S01, S02); at S01 a coordinator, an investigator and four patients (randomized
with visits, consented, not eligible, incomplete); at S02 one randomized patient; a
trial-wide monitor, data manager and statistician. Every user's password is
:data:`PASSWORD`. The server is waitress running the WSGI application in a thread on
127.0.0.1 with a free port.
"""

from __future__ import annotations

import atexit
import base64
import datetime as dt
import hashlib
import hmac
import json
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher

PASSWORD = "Correct-Horse-Battery-9"  # test databases only
TODAY = dt.datetime.now(dt.UTC).date()
SCREENED_ON = TODAY - dt.timedelta(days=200)
EXAMPLES = Path(__file__).parents[2] / "examples" / "screening"
USERS = {
    "coord-S01": "coordinator",
    "inv-S01": "investigator",
    "inv2-S01": "investigator",
    "lockme-S02": "coordinator",
    "coord-S02": "coordinator",
    "coord-S03": "coordinator",
    "monitor": "monitor",
    "dm": "data_manager",
    "stat": "statistician",
}


def screening_record(number: str, example_name: str = "eligible-01.json") -> dict[str, Any]:
    """A shipped example screening record as patient ``number``'s, screened on SCREENED_ON."""
    data = json.loads((EXAMPLES / example_name).read_text())
    record: dict[str, Any] = data.get("record", data)
    record["patient_id"] = number
    record["screening_date"] = SCREENED_ON.isoformat()
    record["birth_date"] = "1960-05-01"
    return record


def totp(secret: str, at: float | None = None) -> str:
    """The RFC 6238 code (SHA-1, 30 s, 6 digits) of ``secret`` at ``at`` (default now)."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 15
    value = (int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**6
    return f"{value:06d}"


def fresh_totp(secret: str, used: set[str]) -> str:
    """A code not used before (a used code is refused: wait for the next 30 s step)."""
    code = totp(secret)
    while code in used:
        time.sleep(1)
        code = totp(secret)
    used.add(code)
    return code


def switch_database(config: dict[str, Any]) -> None:
    """Point Django's default connection at another database (test set-up only)."""
    from asgiref.local import Local
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    settings.DATABASES["default"] = config
    connections._settings = connections.configure_settings(settings.DATABASES)
    connections.__dict__.pop("settings", None)
    connections._connections = Local(connections.thread_critical)


def sign_in_client(client: Any, username: str, language: str = "en") -> Any:
    """Sign ``username`` in on a Django test client (with a TOTP device where the role needs
    one) and set the language cookie; returns the user's staff record."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings

    from oligotrial.edc.models import Staff
    from oligotrial.edc.web.accounts import needs_two_factor

    staff = Staff.objects.select_related("user").get(username=username)
    if needs_two_factor(staff) and not Authenticator.objects.filter(user=staff.user).exists():
        TOTP.activate(staff.user, generate_totp_secret())  # only where the role requires it
    client.force_login(staff.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return staff


def _screen(actor: Any, number: str, example_name: str = "eligible-01.json") -> None:
    from oligotrial.edc import services

    services.screen(actor, screening_record(number, example_name))


def _randomize(actor: Any, number: str) -> None:
    from oligotrial.edc import services

    services.record_consent(actor, number, version="1.0", signed_on=SCREENED_ON)
    services.randomize(actor, number, randomized_on=SCREENED_ON + dt.timedelta(days=1))
    services.schedule_visits(actor, number, horizon_weeks=60)


def build_web_trial(folder: Path, extra_patients: int = 0) -> dict[str, Any]:
    """Migrate a new SQLite database in ``folder`` and fill it; returns its settings."""
    from django.core.management import call_command

    from oligotrial.edc import services
    from oligotrial.edc.services.accounts import set_password
    from oligotrial.edc.settings import sqlite_database

    if folder.exists():  # set up again (pytest may regroup a module's tests): a new folder
        folder = Path(tempfile.mkdtemp(prefix=f"{folder.name}-", dir=folder.parent))
    folder.mkdir(parents=True, exist_ok=True)
    few_rounds_passwords()
    config = dict(sqlite_database(folder).django)
    _copy_sqlite(_migrated_template(), Path(config["NAME"]))
    switch_database(config)
    call_command("migrate", verbosity=0, interactive=False)  # nothing left to apply: a check
    admin = services.bootstrap_admin("admin")
    set_password("admin", PASSWORD)
    staff = {}
    for code in ("S01", "S02"):
        services.add_site(admin, code, f"Hospital {code}", language="en")
    services.add_site(admin, "S03", "Hospital S03")  # a site in the default language, Chinese
    for name, role in USERS.items():
        site = name.split("-")[1] if "-" in name else None
        staff[name] = services.add_staff(admin, name, role, site, f"Test {role}")
        set_password(name, PASSWORD)
    services.generate_allocation_list(staff["stat"], seed=20260301, slots_per_stratum=40)
    coord1, coord2 = staff["coord-S01"], staff["coord-S02"]
    _screen(coord1, "S01-001")
    _randomize(coord1, "S01-001")
    services.record_visit(coord1, "S01-001", 0, visit_date=SCREENED_ON)
    services.record_visit(coord1, "S01-001", 1, visit_date=None, missed=True)
    _screen(coord1, "S01-002")
    services.record_consent(coord1, "S01-002", version="1.0", signed_on=SCREENED_ON)
    _screen(coord1, "S01-003", "fails-I3-six-lesions.json")
    _screen(coord1, "S01-004", "incomplete-no-albumin.json")
    _screen(coord2, "S02-001")
    _randomize(coord2, "S02-001")
    add_patients(coord1, extra_patients)
    return config


_TEMPLATE: list[Path] = []


class FewRoundsPBKDF2(PBKDF2PasswordHasher):
    """The product's password hash (PBKDF2-SHA256) with 1,000 rounds instead of about a
    million: each test trial sets ten passwords and the browser tests sign in many times
    (test speed only; a hash records its rounds, and the product's hasher checks it too)."""

    iterations = 1000


def few_rounds_passwords() -> None:
    """Hash this test process's passwords with :class:`FewRoundsPBKDF2` first."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    path = f"{__name__}.FewRoundsPBKDF2"
    if settings.PASSWORD_HASHERS[:1] != [path]:
        settings.PASSWORD_HASHERS = [path, *settings.PASSWORD_HASHERS]
        get_hashers.cache_clear()
        get_hashers_by_algorithm.cache_clear()


def _migrated_template() -> Path:
    """A migrated, empty trial database, made once per test process (each trial starts as a
    copy of it instead of running every migration again)."""
    from django.core.management import call_command

    from oligotrial.edc.settings import sqlite_database

    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="oligotrial-web-template-"))
        atexit.register(shutil.rmtree, folder, True)
        config = dict(sqlite_database(folder).django)
        switch_database(config)
        call_command("migrate", verbosity=0, interactive=False)
        switch_database(config)  # closes the connection
        _TEMPLATE.append(Path(config["NAME"]))
    return _TEMPLATE[0]


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a closed SQLite database (its write-ahead log included)."""
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def add_patients(actor: Any, n: int, start: int = 100) -> None:
    """``n`` more randomized patients with visits at the actor's site."""
    for i in range(start, start + n):
        number = f"{actor.site.code}-{i:03d}"
        _screen(actor, number)
        _randomize(actor, number)


@dataclass
class LiveServer:
    url: str
    thread: threading.Thread


@contextmanager
def live_server() -> Iterator[LiveServer]:
    """The WSGI application on waitress, in a thread, on a free loopback port."""
    from waitress.server import create_server

    from oligotrial.edc.web.wsgi import application

    server = create_server(application(), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.effective_port}", thread)
    finally:
        server.close()
