"""``oligotrial tokens create|list|revoke`` from the shell: the token printed once, lists
without it, revocation at once, bad input one line and exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
pytestmark = pytest.mark.slow


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"}
    for name in ("OLIGOTRIAL_DATABASE_URL", "OLIGOTRIAL_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "oligotrial", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_create_list_revoke(tmp_path: Path) -> None:
    folder = str(tmp_path / "trial")
    assert _cli("db", "init", "--data-dir", folder, "--admin", "boss").returncode == 0
    made = _cli("tokens", "create", "boss", "--days", "5", "--name", "sync", "--data-dir", folder)
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("olt_") and "expires" in made.stdout
    listed = _cli("tokens", "list", "--data-dir", folder)
    assert listed.returncode == 0 and secret not in listed.stdout
    [row] = json.loads(listed.stdout)
    assert (row["user"], row["role"], row["name"], row["state"]) == (
        "boss",
        "admin",
        "sync",
        "active",
    )
    assert secret.startswith(row["prefix"])
    revoked = _cli("tokens", "revoke", str(row["id"]), "--reason", "rotated", "--data-dir", folder)
    assert revoked.returncode == 0, revoked.stderr
    [row] = json.loads(_cli("tokens", "list", "--data-dir", folder).stdout)
    assert row["state"] == "revoked"
    for args, words in (
        (("tokens", "create", "nobody"), "not an active member"),
        (("tokens", "create", "boss", "--days", "0"), "days"),
        (("tokens", "revoke", "99", "--reason", "x"), "no token 99"),
        (("tokens", "revoke", str(row["id"]), "--reason", "x"), "already revoked"),
    ):
        bad = _cli(*args, "--data-dir", folder)
        assert bad.returncode == 2 and words in bad.stderr, bad.stderr
        assert "Traceback" not in bad.stderr
