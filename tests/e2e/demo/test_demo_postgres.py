"""The same demo on PostgreSQL: a new database filled through the services gives the same
analysis data sets as the SQLite demo with the same seed, and ``oligotrial report
--database postgresql://…`` reports from it. The server is the one the data-capture tests
use (``OLIGOTRIAL_TEST_PG_URL``; their set-up starts or installs it when nothing answers)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]
EDC_CONFTEST = ROOT / "tests" / "integration" / "edc" / "conftest.py"
PG_ADMIN_URL = os.environ.get(
    "OLIGOTRIAL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
# The data-capture tests' set-up starts (or installs) the server; it configures Django when
# imported, so it runs in a child process here.
ENSURE = (
    "import importlib.util, sys; spec = importlib.util.spec_from_file_location("
    "'edc_setup', sys.argv[1]); m = importlib.util.module_from_spec(spec); "
    "spec.loader.exec_module(m); m.ensure_postgres()"
)


def _admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)


@pytest.fixture(scope="module")
def pg_database():
    try:
        _admin().close()
    except Exception:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        subprocess.run(
            [sys.executable, "-c", ENSURE, str(EDC_CONFTEST)],
            check=True,
            env=env,
            cwd=ROOT,
            timeout=900,
        )
    name = f"oligotrial_demo_e2e_{os.getpid()}"
    with _admin() as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")
        con.execute(f"CREATE DATABASE {name}")
    yield urlunsplit(urlsplit(PG_ADMIN_URL)._replace(path=f"/{name}"))
    with _admin() as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_postgres_demo_equals_sqlite_demo(
    pg_database, demo_dir, demo_args, manifest, cli, tmp_path
):
    out = tmp_path / "pg-demo"
    done = cli("demo", "--out", str(out), *demo_args, "--database", pg_database)
    assert done.returncode == 0, done.stderr
    for name in ("adsl", "adtte", "adrs", "adae", "screening", "visits", "ctdna"):
        pd.testing.assert_frame_equal(
            pd.read_csv(out / "analysis" / f"{name}.csv"),
            pd.read_csv(demo_dir / "analysis" / f"{name}.csv"),
        )
    again = cli("demo", "--out", str(tmp_path / "second"), *demo_args, "--database", pg_database)
    assert again.returncode == 2 and "not empty" in again.stderr
    report = cli(
        "report",
        "--database",
        pg_database,
        "--out",
        str(tmp_path / "report"),
        "--format",
        "html",
        "--cutoff",
        str(manifest["data_cutoff"]),
    )
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert '<section id="pfs">' in html and "oligotrial_demo_e2e_" in html
