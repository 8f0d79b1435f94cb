"""``oligotrial prescreen``: files written per site, ranked; bad input is a clear message."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.synth.hospital_export import write_hospital_export

DAY = dt.date(2026, 6, 1)


def test_prescreen_writes_ranked_lists_per_site(tmp_path: Path) -> None:
    export = write_hospital_export(
        tmp_path / "bulk", 150, np.random.default_rng(3), screening_date=DAY, hcc_share=0.3
    )
    with (tmp_path / "bulk" / "Observation.ndjson").open("ab") as fh:
        fh.write(b'{"resourceType": "Observation", "id": "cut"\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["prescreen", str(export.directory), "--out", str(out), "--as-of", DAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "candidates" in result.output and "Traceback" not in result.output
    info = json.loads((out / "summary.json").read_text())
    assert info["patients"] == 150
    assert info["hcc_population"] == len(export.hcc)
    assert info["candidates"] + info["excluded"] == len(export.hcc)
    assert set(info["sites"]) == {p.site for p in export.hcc.values()}
    total = 0
    for site in info["sites"]:
        rows = list(csv.DictReader((out / site / "candidates.csv").open(encoding="utf-8")))
        counts = [int(r["fields_to_check"]) for r in rows]
        assert counts == sorted(counts)
        assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
        assert all("Patient/" in r["from_ehr"] for r in rows)
        excluded = list(csv.DictReader((out / site / "excluded.csv").open(encoding="utf-8")))
        assert all(r["failed"] and r["reasons"] for r in excluded)
        total += len(rows) + len(excluded)
        html = (out / site / "index.html").read_text(encoding="utf-8")
        assert f"site {site}" in html
    assert total == len(export.hcc)
    problems = list(csv.DictReader((out / "problems.csv").open(encoding="utf-8")))
    lines = (export.directory / "Observation.ndjson").read_bytes().count(b"\n")
    assert [(p["file"], int(p["line"])) for p in problems] == [("Observation.ndjson", lines)]


def test_not_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["prescreen", str(tmp_path / "none"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "none: no such directory" in result.output
    assert not (tmp_path / "o").exists()


def test_bad_date_names_the_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["prescreen", str(tmp_path), "--out", str(tmp_path / "o"), "--as-of", "June"]
    )
    assert result.exit_code == 2
    assert "--as-of: expected a date YYYY-MM-DD, got 'June'" in result.output


def test_out_must_be_a_directory(tmp_path: Path) -> None:
    export = write_hospital_export(
        tmp_path / "bulk", 5, np.random.default_rng(1), screening_date=DAY, hcc_share=0.5
    )
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(
        app, ["prescreen", str(export.directory), "--out", str(tmp_path / "file")]
    )
    assert result.exit_code == 2
    assert "--out: " in result.output and "is a file, not a directory" in result.output
