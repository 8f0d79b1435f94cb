"""``oligotrial staff set-password`` and ``oligotrial serve`` from the shell: a new
database, a password typed twice, the server answering with its security headers."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200"}
    for name in ("OLIGOTRIAL_DATABASE_URL", "OLIGOTRIAL_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return env


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oligotrial", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_set_password_then_serve(tmp_path: Path) -> None:
    folder = tmp_path / "trial"
    done = _cli("db", "init", "--data-dir", str(folder), "--admin", "boss")
    assert done.returncode == 0, done.stderr
    weak = _cli("staff", "set-password", "boss", "--data-dir", str(folder), stdin="short\nshort\n")
    assert weak.returncode == 2 and "at least 12 characters" in weak.stderr
    assert "Traceback" not in weak.stderr
    unknown = _cli(
        "staff",
        "set-password",
        "nobody",
        "--data-dir",
        str(folder),
        stdin="Good-Long-Passphrase-1\nGood-Long-Passphrase-1\n",
    )
    assert unknown.returncode == 2 and "not an active member" in unknown.stderr
    good = _cli(
        "staff",
        "set-password",
        "boss",
        "--data-dir",
        str(folder),
        stdin="Good-Long-Passphrase-1\nGood-Long-Passphrase-1\n",
    )
    assert good.returncode == 0, good.stderr
    assert "Password set for boss (admin)" in good.stdout
    assert "Good-Long-Passphrase-1" not in good.stdout + good.stderr
    key = folder / "web-secret-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oligotrial",
            "serve",
            "--data-dir",
            str(folder),
            "--port",
            str(port),
        ],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    page, headers = r.read().decode(), r.headers
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.5)
        assert 'name="csrfmiddlewaretoken"' in page and 'for="id_login"' in page
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/oligotrial/site.css") as r:
            assert r.status == 200 and b"--accent" in r.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/patients/X/") as r:
            assert r.url.endswith("/accounts/login/?next=/patients/X/")  # sign in first
    finally:
        server.terminate()
        server.wait(timeout=30)
