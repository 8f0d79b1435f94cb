"""The ``oligotrial stats`` commands on CSV files: JSON keys, values, errors."""

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
from oligotrial.stats import kaplan_meier_by_group, logrank_test, rmst

runner = CliRunner()

TIME = [5.0, 8, 8, 12, 15, 20, 21, 30, 34, 40, 41, 50]
STATUS = [2, 2, 1, 2, 2, 1, 2, 2, 1, 2, 1, 1]  # R's 1 = censored, 2 = event
ARM = [
    "RT",
    "switch",
    "RT",
    "switch",
    "RT",
    "switch",
    "RT",
    "switch",
    "RT",
    "switch",
    "RT",
    "switch",
]
SITE = ["a", "a", "b", "b", "a", "a", "b", "b", "a", "b", "a", "b"]


@pytest.fixture()
def data_csv(tmp_path: Path) -> Path:
    path = tmp_path / "pfs.csv"
    rows = ["months,status,arm,site"] + [
        f"{t},{s},{a},{g}" for t, s, a, g in zip(TIME, STATUS, ARM, SITE, strict=True)
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


def _run(*args: str) -> dict:
    result = runner.invoke(app, ["stats", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _events() -> np.ndarray:
    return np.array(STATUS) == 2


def test_km_json_keys_and_values(data_csv: Path) -> None:
    out = _run(
        "km",
        str(data_csv),
        "--time",
        "months",
        "--event",
        "status",
        "--event-coding",
        "1,2",
        "--group",
        "arm",
        "--conf-type",
        "log-log",
    )
    keys = {
        "group",
        "time",
        "n_risk",
        "n_event",
        "survival",
        "std_err",
        "lower",
        "upper",
        "median",
        "median_lower",
        "median_upper",
    }
    assert [set(g) for g in out["groups"]] == [keys, keys]
    fits = kaplan_meier_by_group(TIME, _events(), np.array(ARM), conf_type="log-log")
    for g in out["groups"]:
        fit = fits[g["group"]]
        np.testing.assert_allclose(g["survival"], fit.survival, rtol=1e-15)
        assert g["median"] == fit.median
        assert (g["median_lower"], g["median_upper"]) == fit.median_ci


def test_km_without_group_has_one_null_group(data_csv: Path) -> None:
    out = _run(
        "km", str(data_csv), "--time", "months", "--event", "status", "--event-coding", "1,2"
    )
    assert len(out["groups"]) == 1
    assert out["groups"][0]["group"] is None
    assert out["groups"][0]["n_risk"][0] == len(TIME)


def test_logrank_json(data_csv: Path) -> None:
    out = _run(
        "logrank",
        str(data_csv),
        "--time",
        "months",
        "--event",
        "status",
        "--event-coding",
        "1,2",
        "--group",
        "arm",
        "--strata",
        "site",
    )
    assert set(out) == {"chisq", "df", "p_value", "observed", "expected"}
    ref = logrank_test(TIME, _events(), ARM, strata=SITE)
    assert out["chisq"] == pytest.approx(ref.chisq, rel=1e-15)
    assert out["df"] == 1
    assert out["observed"] == {"RT": ref.observed[0], "switch": ref.observed[1]}


def test_rmst_json(data_csv: Path) -> None:
    out = _run(
        "rmst",
        str(data_csv),
        "--time",
        "months",
        "--event",
        "status",
        "--event-coding",
        "1,2",
        "--group",
        "arm",
        "--tau",
        "30",
    )
    assert set(out) == {"groups", "difference"}
    assert [set(g) for g in out["groups"]] == [{"group", "rmst", "se"}] * 2
    ref = rmst(TIME, _events(), 30.0, group=np.array(ARM))
    assert out["groups"][1]["rmst"] == pytest.approx(ref.groups[1].rmst, rel=1e-15)
    assert ref.difference is not None
    assert out["difference"]["estimate"] == pytest.approx(ref.difference.estimate)


def test_tables_are_readable(data_csv: Path) -> None:
    base = [str(data_csv), "--time", "months", "--event", "status", "--event-coding", "1,2"]
    for command in (
        ["km", *base],
        ["logrank", *base, "--group", "arm"],
        ["rmst", *base, "--tau", "30", "--group", "arm"],
    ):
        result = runner.invoke(app, ["stats", *command])
        assert result.exit_code == 0, result.output
    assert "median" in runner.invoke(app, ["stats", "km", *base]).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["km", "--time", "months", "--event", "status"], "--event: column 'status' row 1"),
        (["km", "--time", "nope", "--event", "status"], "--time: no column 'nope'"),
        (
            [
                "logrank",
                "--time",
                "months",
                "--event",
                "status",
                "--event-coding",
                "1,2",
                "--group",
                "site",
                "--strata",
                "arm",
                "--rho",
                "-1",
            ],
            "rho",
        ),
        (
            [
                "rmst",
                "--time",
                "months",
                "--event",
                "status",
                "--event-coding",
                "1,2",
                "--tau",
                "99",
            ],
            "tau",
        ),
        (["km", "--time", "months", "--event", "status", "--event-coding", "x"], "--event-coding"),
    ],
)
def test_bad_input_is_a_clear_error(data_csv: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["stats", args[0], str(data_csv), *args[1:], "--json"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_one_level_group_and_bad_time(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("t,e,g\n1,1,a\n2,0,a\n-3,1,a\n")
    result = runner.invoke(app, ["stats", "km", str(path), "--time", "t", "--event", "e"])
    assert result.exit_code == 2
    assert "--time: column 't' row 3" in result.stderr
    path.write_text("t,e,g\n1,1,a\n2,0,a\n3,1,a\n")
    result = runner.invoke(
        app, ["stats", "logrank", str(path), "--time", "t", "--event", "e", "--group", "g"]
    )
    assert result.exit_code == 2
    assert "group: needs at least 2 distinct levels" in result.stderr


def test_subprocess_round_trip(data_csv: Path) -> None:
    src = Path(__file__).resolve().parents[3] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "oligotrial",
            "stats",
            "logrank",
            str(data_csv),
            "--time",
            "months",
            "--event",
            "status",
            "--event-coding",
            "1,2",
            "--group",
            "arm",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["df"] == 1


def test_csv_reader_several_columns_and_numeric_check(tmp_path: Path) -> None:
    from oligotrial.cli._csv import numeric_column, read_survival_csv
    from oligotrial.errors import InputError

    path = tmp_path / "cov.csv"
    path.write_text("t,e,age,ecog\n1,1,60,0\n2,0,71,x\n")
    table = read_survival_csv(path, time="t", event="e", other={"--covariates": ["age", "ecog"]})
    assert table.n == 2
    np.testing.assert_array_equal(
        numeric_column("--covariates", "age", table.columns["--covariates:age"]), [60.0, 71.0]
    )
    with pytest.raises(InputError, match="column 'ecog' row 2: 'x' is not a number"):
        numeric_column("--covariates", "ecog", table.columns["--covariates:ecog"])
    with pytest.raises(InputError, match="--covariates: no column 'bmi'"):
        read_survival_csv(path, time="t", event="e", other={"--covariates": ["age", "bmi"]})


def test_km_json_has_null_where_r_has_na(tmp_path: Path) -> None:
    path = tmp_path / "all_events.csv"
    path.write_text("t,e\n1,1\n2,1\n3,1\n4,1\n")
    result = runner.invoke(app, ["stats", "km", str(path), "--time", "t", "--event", "e", "--json"])
    assert result.exit_code == 0, result.output
    assert "NaN" not in result.stdout
    group = json.loads(result.stdout)["groups"][0]
    assert group["survival"][-1] == 0.0
    assert group["std_err"][-1] is None and group["lower"][-1] is None
    assert group["median"] == 2.5
