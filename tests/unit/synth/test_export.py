"""Exported synthetic files are read by the product's own commands."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.synth import simulate_trial
from oligotrial.synth.export import write_assessments_json, write_screening_jsonl


def test_screen_command_reads_the_synthetic_jsonl(tmp_path) -> None:
    trial = simulate_trial(11, n_patients=25, start=date(2022, 1, 3))
    path = write_screening_jsonl(trial, tmp_path / "screening.jsonl")
    res = CliRunner().invoke(
        app, ["screen", str(path), "--json", "--as-of", trial.cutoff.isoformat()]
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)["summary"]
    planned_fail = sum(c.planned_failure is not None for c in trial.candidates)
    assert summary["patients"] == len(trial.candidates)
    assert summary["overall"] == {"eligible": 25, "ineligible": planned_fail, "incomplete": 0}


def test_endpoints_command_reads_the_synthetic_dataset(tmp_path) -> None:
    trial = simulate_trial(12, n_patients=20, start=date(2022, 1, 3))
    path = write_assessments_json(trial, tmp_path / "assessments.json")
    res = subprocess.run(
        [sys.executable, "-m", "oligotrial", "endpoints", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)
    assert trial.patients[0].usubjid in res.stdout
