"""Browser and page tests of the web application (a real Chromium from Debian's package).

Django is configured lazily (by a session fixture, after every conftest is imported, so
that this folder runs alone or beside the database tests); each test points the default
connection at this folder's trial database first, since tests of other folders in the same
process switch it to theirs.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # web_support, for the tests beside this file

# Playwright's sync API keeps an event loop in the test thread; Django refuses ORM calls
# from a thread with a running loop unless told that this is a plain synchronous caller.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium, never a downloaded browser build."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("chromium is not installed (apt-get install -y chromium; .ci/run does it)")
    return {**browser_type_launch_args, "executable_path": path, "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def web_root() -> Iterator[Path]:
    from django.conf import settings

    root = Path(tempfile.mkdtemp(prefix="oligotrial-web-"))
    if not settings.configured:
        from oligotrial.edc.settings import configure

        configure(data_dir=root / "unused", environ={})
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def web_db(web_root: Path) -> dict[str, Any]:
    """The settings of this folder's trial database (built once)."""
    from web_support import build_web_trial

    return build_web_trial(web_root / "trial")


@pytest.fixture(autouse=True)
def _on_web_db(request: pytest.FixtureRequest) -> Iterator[None]:
    from web_support import switch_database

    config = request.getfixturevalue("web_db")
    switch_database(config)
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def server(web_db: dict[str, Any]) -> Iterator[str]:
    from web_support import live_server

    with live_server() as live:
        yield live.url


@pytest.fixture(scope="session")
def shots(web_root: Path) -> Path:
    """Where screenshots go: docs/img when OLIGOTRIAL_WEB_SCREENSHOTS=1 (to refresh the
    documentation's pictures), else a temporary folder (a test run changes no file)."""
    folder = SHOTS if os.environ.get("OLIGOTRIAL_WEB_SCREENSHOTS") == "1" else web_root / "img"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
