"""The same demo on PostgreSQL: a new database filled through the services gives the same
analysis data sets as the SQLite demo with the same seed, and ``oligotrial report
--database postgresql://…`` reports from it. The server is the one the data-capture tests
use (``OLIGOTRIAL_TEST_PG_URL``; their set-up starts or installs it when nothing answers)."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.mark.postgres
def test_postgres_demo_equals_sqlite_demo(
    scratch_postgres, demo_dir, demo_args, manifest, cli, tmp_path
):
    out = tmp_path / "pg-demo"
    done = cli("demo", "--out", str(out), *demo_args, "--database", scratch_postgres)
    assert done.returncode == 0, done.stderr
    for name in ("adsl", "adtte", "adrs", "adae", "screening", "visits", "ctdna"):
        pd.testing.assert_frame_equal(
            pd.read_csv(out / "analysis" / f"{name}.csv"),
            pd.read_csv(demo_dir / "analysis" / f"{name}.csv"),
        )
    again = cli(
        "demo", "--out", str(tmp_path / "second"), *demo_args, "--database", scratch_postgres
    )
    assert again.returncode == 2 and "not empty" in again.stderr
    report = cli(
        "report",
        "--database",
        scratch_postgres,
        "--out",
        str(tmp_path / "report"),
        "--format",
        "html",
        "--cutoff",
        str(manifest["data_cutoff"]),
    )
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    database = scratch_postgres.rsplit("/", 1)[1]
    assert '<section id="pfs">' in html and database in html
