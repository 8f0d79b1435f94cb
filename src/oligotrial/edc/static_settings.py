"""A plain settings module for tools that need one by dotted path (the mypy Django plugin).

It only computes constants (SQLite in ``./oligotrial-data``); it reads no environment and
opens no connection. The product configures settings with :func:`settings.configure`.
"""

from pathlib import Path

from oligotrial.edc.settings import DEFAULT_DATA_DIR, django_settings, sqlite_database

globals().update(django_settings(sqlite_database(Path(DEFAULT_DATA_DIR)), "static-typing-only"))
