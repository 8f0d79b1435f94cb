"""Settings of the trial database, built programmatically.

Nothing is read or connected at import time. :func:`configure` reads
``OLIGOTRIAL_DATABASE_URL`` (PostgreSQL, e.g. ``postgresql://user:pw@host:5432/trial``) when
it is called; without it the database is SQLite in WAL mode in ``data_dir`` (no set-up).
SQLite transactions start with ``BEGIN IMMEDIATE`` so writers queue instead of failing mid-way.
The audit key (``OLIGOTRIAL_AUDIT_KEY``) and the audit folder (``OLIGOTRIAL_AUDIT_DIR``: key
file and signed checkpoints, by default beside the SQLite file or in the data folder) are
read here too, once (see :mod:`oligotrial.edc.audit_key`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from oligotrial.errors import InputError

DATABASE_URL_ENV = "OLIGOTRIAL_DATABASE_URL"
DATA_DIR_ENV = "OLIGOTRIAL_DATA_DIR"
SECRET_KEY_ENV = "OLIGOTRIAL_SECRET_KEY"
AUDIT_KEY_ENV = "OLIGOTRIAL_AUDIT_KEY"
AUDIT_DIR_ENV = "OLIGOTRIAL_AUDIT_DIR"
DEFAULT_DATA_DIR = "oligotrial-data"
SQLITE_FILE = "trial.sqlite3"


@dataclass(frozen=True)
class DatabaseChoice:
    """Which database the settings point at, for ``oligotrial check`` and logs."""

    vendor: str  # "sqlite" | "postgresql"
    description: str  # path, or host/port/name without the password
    django: Mapping[str, Any]


def sqlite_database(data_dir: Path) -> DatabaseChoice:
    """SQLite in WAL mode in ``data_dir``; writers serialise through ``BEGIN IMMEDIATE``."""
    return sqlite_database_at(Path(data_dir) / SQLITE_FILE)


def sqlite_database_at(path: Path) -> DatabaseChoice:
    """SQLite in WAL mode in the file ``path``."""
    return DatabaseChoice(
        "sqlite",
        str(path),
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA foreign_keys=ON",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        },
    )


def parse_database_url(url: str) -> DatabaseChoice:
    """A PostgreSQL (``postgresql://``, ``postgres://``) or SQLite (``sqlite:///path``) URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise InputError(DATABASE_URL_ENV, "a sqlite URL needs a file path")
        return sqlite_database_at(Path(path))
    if parts.scheme not in {"postgres", "postgresql"}:
        raise InputError(
            DATABASE_URL_ENV, f"scheme {parts.scheme!r} is not postgresql:// or sqlite:///"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise InputError(DATABASE_URL_ENV, "the URL names no database (…/<name>)")
    try:
        port = parts.port
    except ValueError:
        raise InputError(DATABASE_URL_ENV, "the port is not a number") from None
    options = dict(parse_qsl(parts.query))
    config = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 0,
    }
    where = f"{parts.hostname or 'local socket'}:{port or 5432}/{name}"
    return DatabaseChoice("postgresql", where, config)


def choose_database(
    data_dir: Path | None = None,
    database_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> DatabaseChoice:
    """The database to use: an explicit URL, else ``OLIGOTRIAL_DATABASE_URL``, else SQLite."""
    env = os.environ if environ is None else environ
    url = database_url or env.get(DATABASE_URL_ENV)
    if url:
        return parse_database_url(url)
    folder = data_dir or Path(env.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    return sqlite_database(Path(folder))


#: how long a server thread keeps its PostgreSQL connection between requests (seconds)
SERVER_CONNECTION_SECONDS = 300


def keep_server_connections() -> None:
    """Let each thread of ``oligotrial serve`` keep its PostgreSQL connection between
    requests, checked before reuse (Django's ``CONN_HEALTH_CHECKS``), instead of a new one
    per request: each new connection costs the server a backend process with cold catalogue
    caches (about 18 of the 63 ms of one randomization, ``benchmarks/api_load.py``). Command
    runs and tests keep one connection per request; SQLite is unchanged."""
    from django.db import connections

    for alias in connections:
        config = connections.settings[alias]
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["CONN_MAX_AGE"] = SERVER_CONNECTION_SECONDS
            config["CONN_HEALTH_CHECKS"] = True


def audit_folder(
    database: DatabaseChoice, data_dir: Path | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """Where the audit key file and checkpoints live: ``OLIGOTRIAL_AUDIT_DIR``, else beside
    the SQLite file, else the data folder (outside the PostgreSQL server)."""
    env = os.environ if environ is None else environ
    if env.get(AUDIT_DIR_ENV):
        return Path(env[AUDIT_DIR_ENV])
    if database.vendor == "sqlite":
        return Path(database.django["NAME"]).parent
    return Path(data_dir or env.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def django_settings(
    database: DatabaseChoice,
    secret_key: str | None = None,
    *,
    audit_dir: Path | None = None,
    audit_key: str | None = None,
) -> dict[str, Any]:
    """The Django settings mapping (passed to ``settings.configure``)."""
    base: dict[str, Any] = {
        "DEBUG": False,
        "SECRET_KEY": secret_key or secrets.token_urlsafe(50),
        "INSTALLED_APPS": [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "oligotrial.edc.apps.EdcConfig",
        ],
        "DATABASES": {"default": dict(database.django)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "LANGUAGE_CODE": "en",
        "MIGRATION_MODULES": {},
        "OLIGOTRIAL_AUDIT_DIR": str(audit_dir or DEFAULT_DATA_DIR),
        "OLIGOTRIAL_AUDIT_KEY": audit_key or None,
    }
    return {**base, **web_settings(base["INSTALLED_APPS"])}


# --- The web application (site staff): apps, middleware, login, languages, headers. --------
IDLE_MINUTES_ENV = "OLIGOTRIAL_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30


def web_settings(core_apps: list[str], environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings of the web layer (see ``oligotrial.edc.web.config``), after ``core_apps``."""
    from oligotrial.edc.web.config import web_settings as build

    env = os.environ if environ is None else environ
    raw = env.get(IDLE_MINUTES_ENV) or str(DEFAULT_IDLE_MINUTES)
    if not raw.isdigit() or not 1 <= int(raw) <= 720:
        raise InputError(IDLE_MINUTES_ENV, f"{raw!r} is not a number of minutes (1 to 720)")
    return build(core_apps, idle_minutes=int(raw))


def configure(
    data_dir: Path | None = None,
    database_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> DatabaseChoice:
    """Configure Django once for this process and return the database chosen.

    A later call naming the database in use is a no-op; another database is refused.
    The SQLite folder is created when missing.
    """
    import django
    from django.conf import settings

    choice = choose_database(data_dir, database_url, environ)
    if settings.configured:
        current = str(settings.DATABASES["default"]["NAME"])
        if current != str(choice.django["NAME"]):
            raise InputError(
                "database", f"this process already uses {current}, not {choice.description}"
            )
        return choice
    if choice.vendor == "sqlite":
        Path(choice.django["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    env = os.environ if environ is None else environ
    settings.configure(
        **django_settings(
            choice,
            env.get(SECRET_KEY_ENV),
            audit_dir=audit_folder(choice, data_dir, env),
            audit_key=env.get(AUDIT_KEY_ENV),
        )
    )
    django.setup()
    return choice
