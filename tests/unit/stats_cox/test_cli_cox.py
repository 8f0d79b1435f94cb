"""``stats cox`` command: JSON keys and values equal to the API, table, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from oligotrial.cli.stats_cox import add_cox_command
from oligotrial.stats.cox import cox_ph
from oligotrial.stats.cox_zph import cox_zph

REQUIRED = {"coef", "se", "hazard_ratio", "hr_lower", "hr_upper", "loglik", "loglik_null",
            "n", "n_events"}


@pytest.fixture()
def app() -> typer.Typer:
    root = typer.Typer()
    stats_app = typer.Typer()
    root.add_typer(stats_app, name="stats")
    add_cox_command(stats_app)
    return root


@pytest.fixture()
def csv_file(tmp_path: Path) -> Path:
    rng = np.random.default_rng(12)
    n = 90
    lines = ["months,status,arm,age,site"]
    for i in range(n):
        age = "" if i == 4 else f"{rng.normal(60, 8):.1f}"
        lines.append(f"{rng.integers(1, 25)},{rng.integers(1, 3)},{i % 2},{age},"
                     f"{'north' if rng.random() < 0.5 else 'south'}")
    path = tmp_path / "trial.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def load(path: Path) -> dict[str, np.ndarray]:
    rows = [line.split(",") for line in path.read_text().splitlines()[1:]]
    keep = [r for r in rows if r[3] != ""]
    return {"time": np.array([float(r[0]) for r in keep]),
            "event": np.array([int(r[1]) - 1 for r in keep]),
            "arm": np.array([float(r[2]) for r in keep]),
            "age": np.array([float(r[3]) for r in keep]),
            "site": np.array([r[4] for r in keep])}


def test_json_matches_the_api(app: typer.Typer, csv_file: Path) -> None:
    result = CliRunner().invoke(app, [
        "stats", "cox", str(csv_file), "--time", "months", "--event", "status",
        "--covariates", "arm,age", "--strata", "site", "--ties", "breslow",
        "--event-coding", "1,2", "--drop-missing", "--zph", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) >= REQUIRED
    d = load(csv_file)
    fit = cox_ph(d["time"], d["event"], {"arm": d["arm"], "age": d["age"]},
                 strata=d["site"], ties="breslow")
    for key in ("coef", "se", "hazard_ratio", "hr_lower", "hr_upper"):
        assert out[key] == dict(getattr(fit, key))
    assert (out["loglik"], out["loglik_null"]) == (fit.loglik, fit.loglik_null)
    assert (out["n"], out["n_events"], out["n_dropped"]) == (fit.n, fit.n_events, 1)
    assert out["zph"]["global"]["chisq"] == cox_zph(fit).global_test.statistic


def test_table_output(app: typer.Typer, csv_file: Path) -> None:
    result = CliRunner().invoke(app, [
        "stats", "cox", str(csv_file), "--time", "months", "--event", "status",
        "--covariates", "arm", "--event-coding", "1,2", "--zph"])
    assert result.exit_code == 0, result.output
    for words in ("Cox model (efron ties)", "arm", "Likelihood ratio test", "GLOBAL"):
        assert words in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--covariates", "arm,age", "--event-coding", "1,2"], "covariates.age: contains missing"),
    (["--covariates", "arm,weight"], "no column weight"),
    (["--covariates", "arm", "--event-coding", "0,1"], "is neither 0 (censored) nor 1 (event)"),
    (["--covariates", "arm", "--event-coding", "1,2", "--ties", "exact"], "--ties"),
    (["--covariates", "site", "--event-coding", "1,2"], "site: row 1"),
])
def test_bad_input_exits_2_with_a_message(
    app: typer.Typer, csv_file: Path, args: list[str], message: str
) -> None:
    base = ["stats", "cox", str(csv_file), "--time", "months", "--event", "status"]
    result = CliRunner().invoke(app, base + args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
