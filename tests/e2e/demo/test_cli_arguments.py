"""The demo and report commands in-process (CliRunner): refusals and the re-run guard, all
before any database is opened."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oligotrial.cli import app

runner = CliRunner()


def test_existing_demo_is_left_alone(tmp_path):
    (tmp_path / "demo.json").write_text(json.dumps({"seed": 3, "scenario": "null"}))
    (tmp_path / "report.html").write_text("<html></html>")
    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert "already" in result.output and "seed 3" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.json", "report.html"]


def test_bad_arguments_name_the_option_and_write_nothing(tmp_path):
    out = tmp_path / "d"
    for args, option in (
        (["--scenario", "best"], "--scenario"),
        (["--patients", "2"], "--patients"),
        (["--seed", "-1"], "--seed"),
    ):
        result = runner.invoke(app, ["demo", "--out", str(out), *args])
        assert result.exit_code == 2 and option in result.output, result.output
    assert not out.exists()


def test_report_refuses_unknown_format_and_missing_database(tmp_path, monkeypatch):
    monkeypatch.delenv("OLIGOTRIAL_DATABASE_URL", raising=False)
    fmt = runner.invoke(app, ["report", "--database", str(tmp_path), "--format", "docx"])
    assert fmt.exit_code == 2 and "--format" in fmt.output
    none = runner.invoke(app, ["report"])
    assert none.exit_code == 2 and "OLIGOTRIAL_DATABASE_URL" in none.output
    missing = runner.invoke(app, ["report", "--database", str(tmp_path)])
    assert missing.exit_code == 2 and "no SQLite database" in missing.output
    assert not (tmp_path / "trial.sqlite3").exists()
