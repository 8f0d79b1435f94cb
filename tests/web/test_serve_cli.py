"""``oligotrial staff set-password`` and ``oligotrial serve`` from the shell: a new
database, a password typed twice, the server answering with its security headers."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

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

    port, server = _start(folder)
    try:
        page, headers = _login_page(port, server)
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


def _start(folder: Path, *extra: str) -> tuple[int, subprocess.Popen[str]]:
    port = _free_port()
    command = [sys.executable, "-m", "oligotrial", "serve", "--data-dir", str(folder)]
    server = subprocess.Popen(
        [*command, "--port", str(port), *extra],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return port, server


def _login_page(port: int, server: subprocess.Popen[str]) -> tuple[str, Any]:
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                return r.read().decode(), r.headers
        except (urllib.error.URLError, ConnectionError):
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.5)


def _children(pid: int) -> set[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return {int(line) for line in found.stdout.split()}


def test_serve_with_worker_processes_survives_a_killed_worker(tmp_path: Path) -> None:
    """``--workers 2``: two processes answer; a worker killed with SIGKILL is replaced and
    the server keeps answering; a bad count is refused by name."""
    folder = tmp_path / "trial"
    assert _cli("db", "init", "--data-dir", str(folder), "--admin", "boss").returncode == 0
    bad = _cli("serve", "--data-dir", str(folder), "--workers", "0")
    assert bad.returncode == 2 and "--workers" in bad.stderr and "Traceback" not in bad.stderr
    port, server = _start(folder, "--workers", "2", "--threads", "2")
    try:
        page, headers = _login_page(port, server)
        assert 'name="csrfmiddlewaretoken"' in page and headers["X-Frame-Options"] == "DENY"
        deadline = time.monotonic() + 60
        while len(workers := _children(server.pid)) < 2:
            assert time.monotonic() < deadline, f"workers: {workers}"
            time.sleep(0.5)
        assert len(workers) == 2
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        while not ((now := _children(server.pid)) - workers and len(now) == 2):
            assert time.monotonic() < deadline, f"workers after the kill: {now}"
            time.sleep(0.5)
        assert victim not in now
        for _ in range(6):  # every answer comes from a live worker
            page, _headers = _login_page(port, server)
            assert 'for="id_login"' in page
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)


def _token_check(port: int) -> int:
    """The status of an API call with a wrong token (which reads the token table)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/patients", headers={"Authorization": "Bearer olt_wrong"}
    )
    try:
        with urllib.request.urlopen(request) as r:
            return int(r.status)
    except urllib.error.HTTPError as answer:
        return int(answer.code)


@pytest.mark.postgres
def test_serve_keeps_its_postgres_connections(
    tmp_path: Path, scratch_postgres: str, pg_admin: Any
) -> None:
    """On PostgreSQL a server thread keeps its connection between requests, and a
    connection the database server has cut is replaced at the next request, not failed."""
    env = {**_env(), "OLIGOTRIAL_DATABASE_URL": scratch_postgres}
    folder = tmp_path / "trial"
    command = [sys.executable, "-m", "oligotrial"]
    init = subprocess.run(
        [*command, "db", "init", "--admin", "boss"], capture_output=True, text=True, env=env
    )
    assert init.returncode == 0, init.stderr
    port = _free_port()
    server = subprocess.Popen(
        [*command, "serve", "--data-dir", str(folder), "--port", str(port), "--threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    name = scratch_postgres.rsplit("/", 1)[1]
    backends = (
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend'"
    )
    try:
        _login_page(port, server)
        pids = set()
        for _ in range(4):
            assert _token_check(port) == 401
            pids.add(tuple(row[0] for row in pg_admin.execute(backends, (name,))))
        assert len(pids) == 1 and len(next(iter(pids))) >= 1, pids  # the same connection
        for (pid,) in pg_admin.execute(backends, (name,)).fetchall():
            pg_admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert _token_check(port) == 401  # a new connection, not a server error
        assert server.poll() is None
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors
