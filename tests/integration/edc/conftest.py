"""Fresh trial databases for each test, on SQLite and on a real PostgreSQL server.

Django is configured once per process. A migrated template is built once per backend; each
test gets its own copy (a copied SQLite file, or ``CREATE DATABASE ... TEMPLATE``) which is
dropped afterwards. When no PostgreSQL server answers, the set-up installs it
(``apt-get install postgresql``), starts the cluster, and lets 127.0.0.1 connect.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # edc_support, for the tests beside this file

PG_ADMIN_URL = os.environ.get(
    "OLIGOTRIAL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _pg_connect(dbname: str | None = None) -> Any:
    import psycopg

    from oligotrial.edc.settings import parse_database_url

    cfg = parse_database_url(PG_ADMIN_URL).django
    return psycopg.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or "postgres",
        password=cfg["PASSWORD"] or None,
        dbname=dbname or cfg["NAME"],
        autocommit=True,
        connect_timeout=5,
    )


def _run(cmd: str) -> None:
    subprocess.run(cmd, shell=True, check=True, capture_output=True, timeout=900)


def ensure_postgres() -> None:
    """Connect, or install and start PostgreSQL and allow local TCP connections."""
    try:
        _pg_connect().close()
        return
    except Exception:
        pass
    if shutil.which("pg_lsclusters") is None:
        _run("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql")
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout.split()
    if listing:
        version = listing[0]
    else:  # installed without a cluster: create one with the newest server version
        version = max(os.listdir("/usr/lib/postgresql"), key=int)
        _run(f"pg_createcluster {version} main")
    hba = Path(f"/etc/postgresql/{version}/main/pg_hba.conf")
    rule = "host all all 127.0.0.1/32 trust\n"
    if hba.exists() and rule not in hba.read_text():
        hba.write_text(rule + hba.read_text())
    _run(
        f"pg_ctlcluster --skip-systemctl-redirect {version} main start || "
        f"pg_ctlcluster --skip-systemctl-redirect {version} main reload"
    )
    for attempt in range(30):  # the server may need a moment to accept connections
        try:
            _pg_connect().close()
            return
        except Exception:
            if attempt == 29:
                raise
            time.sleep(1)


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


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


#: The audit key and folder of this test process, passed on to child processes.
AUDIT_ENV: dict[str, str] = {}


def _configure_django() -> Path:
    """Configure Django before the test modules (which import the services) are collected."""
    from oligotrial.edc.settings import configure

    root = Path(tempfile.mkdtemp(prefix="oligotrial-edc-"))
    atexit.register(shutil.rmtree, root, True)
    AUDIT_ENV["OLIGOTRIAL_AUDIT_KEY"] = secrets.token_hex(32)
    AUDIT_ENV["OLIGOTRIAL_AUDIT_DIR"] = str(root / "audit")
    configure(data_dir=root / "unused", environ=dict(AUDIT_ENV))
    return root


_ROOT = _configure_django()

from edc_support import TrialDb  # noqa: E402  (needs Django configured)


@pytest.fixture(scope="session")
def django_ready() -> Path:
    return _ROOT


@pytest.fixture(scope="session")
def sqlite_template(django_ready: Path) -> Path:
    from oligotrial.edc.settings import sqlite_database

    folder = django_ready / "template"
    switch_database(dict(sqlite_database(folder).django))
    folder.mkdir(exist_ok=True)
    _migrate()
    switch_database(dict(sqlite_database(django_ready / "unused").django))
    return folder / "trial.sqlite3"


@pytest.fixture(scope="session")
def pg_template(django_ready: Path) -> Iterator[str]:
    from oligotrial.edc.settings import parse_database_url

    ensure_postgres()
    name = f"oligotrial_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with _pg_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    switch_database(dict(parse_database_url(_pg_url(name)).django))
    _migrate()
    from django.db import connections

    connections.close_all()
    yield name
    with _pg_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def trial_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TrialDb]:
    """A fresh, migrated, empty trial database for this test."""
    from django.db import connections

    from oligotrial.edc.settings import parse_database_url, sqlite_database

    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        folder = tmp_path / "db"
        folder.mkdir()
        shutil.copy(template, folder / "trial.sqlite3")
        switch_database(dict(sqlite_database(folder).django))
        yield TrialDb("sqlite", {"OLIGOTRIAL_DATA_DIR": str(folder), **AUDIT_ENV})
        connections.close_all()
        return
    template_name: str = request.getfixturevalue("pg_template")
    name = f"oligotrial_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _pg_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
        # test speed only: commits do not wait for the WAL flush (a server crash is not
        # simulated; killed clients still roll back)
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    url = _pg_url(name)
    switch_database(dict(parse_database_url(url).django))
    try:
        yield TrialDb("postgresql", {"OLIGOTRIAL_DATABASE_URL": url, **AUDIT_ENV})
    finally:
        connections.close_all()
        with _pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
