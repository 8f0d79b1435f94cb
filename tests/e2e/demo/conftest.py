"""A small demo (40 patients), run once through the command line into a temporary folder.

The demo runs in a child process (``python -m oligotrial``): it configures Django for its
own database, which a test process that also hosts other database tests must not do. The
tests then read the database with plain SQL, the exported files and the report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src"
DEMO_ARGS = ("--seed", "11", "--scenario", "benefit", "--patients", "40")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"}
    env.pop("OLIGOTRIAL_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "oligotrial", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )


@pytest.fixture(scope="session")
def cli():
    """Run ``python -m oligotrial ARGS`` in a child process."""
    return run_cli


@pytest.fixture(scope="session")
def demo_args() -> tuple[str, ...]:
    return DEMO_ARGS


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "demo"
    done = run_cli("demo", "--out", str(out), *DEMO_ARGS)
    assert done.returncode == 0, done.stderr + done.stdout
    return out


@pytest.fixture(scope="session")
def manifest(demo_dir: Path) -> dict[str, object]:
    loaded = json.loads((demo_dir / "demo.json").read_text())
    assert isinstance(loaded, dict)
    return loaded
