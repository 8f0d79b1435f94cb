"""``oligotrial stats cox``: JSON keys and values equal to the API, table, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.stats.cox import cox_ph
from oligotrial.stats.cox_zph import cox_zph

REQUIRED = {
    "coef",
    "se",
    "hazard_ratio",
    "hr_lower",
    "hr_upper",
    "loglik",
    "loglik_null",
    "n",
    "n_events",
}


def write_csv(path: Path, *, empty_age_row: int | None = None) -> Path:
    rng = np.random.default_rng(12)
    lines = ["months,status,arm,age,site"]
    for i in range(90):
        age = "" if i == empty_age_row else f"{rng.normal(60, 8):.1f}"
        lines.append(
            f"{rng.integers(1, 25)},{rng.integers(1, 3)},{i % 2},{age},"
            f"{'north' if rng.random() < 0.5 else 'south'}"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture()
def csv_file(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "trial.csv")


def load(path: Path) -> dict[str, np.ndarray]:
    rows = [line.split(",") for line in path.read_text().splitlines()[1:]]
    return {
        "time": np.array([float(r[0]) for r in rows]),
        "event": np.array([int(r[1]) - 1 for r in rows]),
        "arm": np.array([float(r[2]) for r in rows]),
        "age": np.array([float(r[3]) for r in rows]),
        "site": np.array([r[4] for r in rows]),
    }


def test_json_matches_the_api(csv_file: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "stats",
            "cox",
            str(csv_file),
            "--time",
            "months",
            "--event",
            "status",
            "--covariates",
            "arm,age",
            "--strata",
            "site",
            "--ties",
            "breslow",
            "--event-coding",
            "1,2",
            "--zph",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) >= REQUIRED
    d = load(csv_file)
    fit = cox_ph(
        d["time"], d["event"], {"arm": d["arm"], "age": d["age"]}, strata=d["site"], ties="breslow"
    )
    for key in ("coef", "se", "hazard_ratio", "hr_lower", "hr_upper"):
        assert out[key] == dict(getattr(fit, key))
    assert (out["loglik"], out["loglik_null"]) == (fit.loglik, fit.loglik_null)
    assert (out["n"], out["n_events"]) == (fit.n, fit.n_events)
    assert out["zph"]["global"]["chisq"] == cox_zph(fit).global_test.statistic


def test_table_output(csv_file: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "stats",
            "cox",
            str(csv_file),
            "--time",
            "months",
            "--event",
            "status",
            "--covariates",
            "arm",
            "--event-coding",
            "1,2",
            "--zph",
        ],
    )
    assert result.exit_code == 0, result.output
    for words in ("Cox model (efron ties)", "arm", "Likelihood ratio test", "GLOBAL"):
        assert words in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--covariates", "arm,weight", "--event-coding", "1,2"], "no column 'weight'"),
        (["--covariates", "arm"], "neither 0 (censored) nor 1 (event)"),
        (["--covariates", "arm", "--event-coding", "1,2", "--ties", "exact"], "--ties"),
        (["--covariates", "site", "--event-coding", "1,2"], "column 'site' row 1: 'north' is not"),
        (["--covariates", "arm,arm", "--event-coding", "1,2"], "named twice"),
    ],
)
def test_bad_input_exits_2_with_a_message(csv_file: Path, args: list[str], message: str) -> None:
    base = ["stats", "cox", str(csv_file), "--time", "months", "--event", "status"]
    result = CliRunner().invoke(app, base + args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_empty_covariate_cell_is_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gap.csv", empty_age_row=4)
    result = CliRunner().invoke(
        app,
        [
            "stats",
            "cox",
            str(path),
            "--time",
            "months",
            "--event",
            "status",
            "--covariates",
            "arm,age",
            "--event-coding",
            "1,2",
        ],
    )
    assert result.exit_code == 2
    assert "column 'age' row 5 is empty" in result.output


def test_runs_as_a_program(csv_file: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "oligotrial",
            "stats",
            "cox",
            str(csv_file),
            "--time",
            "months",
            "--event",
            "status",
            "--covariates",
            "arm,age",
            "--event-coding",
            "1,2",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "src")},
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    d = load(csv_file)
    fit = cox_ph(d["time"], d["event"], {"arm": d["arm"], "age": d["age"]})
    assert out["coef"] == dict(fit.coef) and out["n_events"] == fit.n_events
