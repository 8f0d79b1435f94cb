"""Keeps an expensive set-up built once when the suite runs on several processes.

``scripts/check`` runs pytest-xdist with ``--dist loadgroup``: a test marked
``xdist_group(NAME)`` runs on the same worker as every other test of that group. Each test
that uses a module-scoped fixture (a module's own trial database, a built report) is
grouped with its module, and each test reading the demo trial with the other readers, so
that the fixture is built by one worker instead of by each worker that gets one of its
tests. Without ``-n`` the marks change nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get(
    "OLIGOTRIAL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
# The data-capture tests' set-up starts (or installs) the server; it configures Django when
# imported, so it runs in a child process here.
_ENSURE = (
    "import importlib.util, sys; spec = importlib.util.spec_from_file_location("
    "'edc_setup', sys.argv[1]); m = importlib.util.module_from_spec(spec); "
    "spec.loader.exec_module(m); m.ensure_postgres()"
)

#: session fixtures that only a few modules use and that take long to build
SHARED = ("demo_dir",)


def _group(item: pytest.Item) -> str | None:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    for name in SHARED:
        if name in info.name2fixturedefs:
            return name
    for defs in info.name2fixturedefs.values():
        if any(d.scope == "module" for d in defs):
            return item.nodeid.split("::", 1)[0]
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        group = _group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


def _pg_admin() -> Any:
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)


@pytest.fixture(scope="module")
def scratch_postgres(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database for one test module, dropped afterwards,
    on the server the data-capture tests use (``OLIGOTRIAL_TEST_PG_URL``; started or
    installed when nothing answers)."""
    try:
        _pg_admin().close()
    except Exception:
        subprocess.run(
            [sys.executable, "-c", _ENSURE, str(ROOT / "tests/integration/edc/conftest.py")],
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            cwd=ROOT,
            timeout=900,
        )
    stem = Path(str(request.fspath)).stem.removeprefix("test_")[:30]
    name = f"oligotrial_{stem}_{os.getpid()}"
    with _pg_admin() as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        con.execute(f"CREATE DATABASE {name}")
    yield urlunsplit(urlsplit(PG_ADMIN_URL)._replace(path=f"/{name}"))
    with _pg_admin() as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_admin() -> Iterator[Any]:
    """An autocommit connection to the test server's administrative database."""
    with _pg_admin() as con:
        yield con
