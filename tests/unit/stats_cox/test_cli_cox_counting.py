"""``oligotrial stats cox`` with --start, --cluster and --robust: values equal to the API,
the robust columns, and errors naming the column and row."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.stats.cox import cox_ph

BASE = ["stats", "cox", "--stop", "stop", "--event", "event", "--covariates", "arm,vaf"]


def write_csv(path: Path, *, start_of_row_3: str | None = None) -> Path:
    """Patients with two intervals each (VAF changing at month 3), whole-month times."""
    rng = np.random.default_rng(21)
    lines = ["start,stop,event,arm,vaf,patient"]
    for i in range(50):
        end = int(rng.integers(4, 15))
        arm = i % 2
        lines.append(f"0,3,0,{arm},{rng.exponential():.2f},P{i:02d}")
        lines.append(f"3,{end},{int(rng.random() < 0.6)},{arm},{rng.exponential():.2f},P{i:02d}")
    if start_of_row_3 is not None:
        cells = lines[3].split(",")
        lines[3] = ",".join([start_of_row_3, *cells[1:]])
    path.write_text("\n".join(lines) + "\n")
    return path


def invoke(path: Path, *extra: str) -> tuple[int, str]:
    args = [*BASE[:2], str(path), *BASE[2:], *extra]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def test_json_matches_the_api(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "td.csv")
    code, output = invoke(path, "--start", "start", "--cluster", "patient", "--json")
    assert code == 0, output
    out = json.loads(output)
    cols = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    fit = cox_ph(
        cols["stop"].astype(float),
        cols["event"],
        {"arm": cols["arm"].astype(float), "vaf": cols["vaf"]},
        start=cols["start"].astype(float),
        cluster=cols["patient"],
    )
    assert out["coef"] == dict(fit.coef) and out["se"] == dict(fit.se)
    assert out["naive_se"] == dict(fit.naive_se) and out["se"] != out["naive_se"]
    assert out["robust"] and out["counting"] and out["n_clusters"] == 50
    assert fit.robust_score_test is not None
    assert out["robust_score_test"]["statistic"] == fit.robust_score_test.statistic
    assert out["wald_test"]["statistic"] == fit.wald_test.statistic


def test_table_shows_both_standard_errors_and_the_robust_score_test(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "td.csv")
    code, output = invoke(path, "--start", "start", "--cluster", "patient")
    assert code == 0, output
    for words in ("(start, stop] data", "50 clusters", "robust", "Robust score test"):
        assert words in output


def test_robust_without_cluster_on_right_censored_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "td.csv")
    code, output = invoke(path, "--robust", "--json")
    assert code == 0, output
    out = json.loads(output)
    assert out["robust"] and not out["counting"] and out["n_clusters"] == 100


@pytest.mark.parametrize(
    ("start", "extra", "message"),
    [
        ("9", [], "--start: column 'start' row 3: 9 is not before the stop time 3"),
        ("-1", [], "--start: column 'start' row 3: -1 is negative"),
        ("x", [], "--start: column 'start' row 3: 'x' is not a number"),
        ("", [], "--start: column 'start' row 3 is empty"),
        (None, ["--cluster", "clinic"], "--cluster: no column 'clinic'"),
        (None, ["--robust"], "--robust: with --start, name the patient column"),
    ],
)
def test_bad_input_names_the_column_and_row(
    tmp_path: Path, start: str | None, extra: list[str], message: str
) -> None:
    path = write_csv(tmp_path / "bad.csv", start_of_row_3=start)
    code, output = invoke(path, "--start", "start", *extra)
    assert code == 2
    assert message in output.replace("\n", " ")
    assert "Traceback" not in output
