"""Tests of the REST API, in process (Django's test client and schemathesis over WSGI).

The trial is the web tests' small trial (two sites; patients at S01 and S02; every role),
built once through the services in this folder's own SQLite database; each staff member
gets an API token. Each test points the default connection at that database first.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))  # api_support
sys.path.insert(0, str(HERE.parent / "web"))  # web_support: the trial the pages are tested on


@pytest.fixture(scope="session")
def api_root() -> Iterator[Path]:
    from django.conf import settings

    root = Path(tempfile.mkdtemp(prefix="oligotrial-api-"))
    if not settings.configured:
        from oligotrial.edc.settings import configure

        configure(data_dir=root / "unused", environ={})
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def api_trial(api_root: Path) -> dict[str, Any]:
    """The database settings and one token per staff member (user name -> token)."""
    from api_support import build_api_trial

    return build_api_trial(api_root / "trial")


@pytest.fixture(autouse=True)
def _on_api_db(api_trial: dict[str, Any]) -> Iterator[None]:
    from django.core.cache import cache
    from web_support import switch_database

    switch_database(api_trial["database"])
    cache.clear()  # rate-limit counters start afresh in each test
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def tokens(api_trial: dict[str, Any]) -> dict[str, str]:
    return dict(api_trial["tokens"])


@pytest.fixture
def client() -> Any:
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")
