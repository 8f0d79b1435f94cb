"""The design CLI: JSON keys, tables, errors (exit 2 naming the argument), subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oligotrial.cli import app

runner = CliRunner()
SS = [
    "design",
    "sample-size",
    "--control-median",
    "3.1",
    "--hazard-ratio",
    "0.55",
    "--power",
    "0.9",
    "--alpha",
    "0.05",
    "--sides",
    "2",
    "--accrual",
    "24",
    "--follow-up",
    "12",
    "--dropout-per-year",
    "0.1",
]
SIM = [
    "simulate",
    "--control-median",
    "3.1",
    "--hazard-ratio",
    "0.55",
    "--accrual",
    "24",
    "--subjects",
    "132",
    "--events",
    "59,118",
    "--alpha",
    "0.05",
    "--sides",
    "2",
    "--iterations",
    "1500",
    "--seed",
    "3",
    "--dropout-per-year",
    "0.1",
]


def run_json(args: list[str]) -> dict[str, object]:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_sample_size_json() -> None:
    out = run_json([*SS, "--information", "0.5,1"])
    assert out["events"] == pytest.approx(117.9974, abs=1e-3)
    assert out["subjects"] == pytest.approx(129.1815, abs=1e-3)
    assert out["events_rounded"] == 118 and out["subjects_rounded"] == 130
    fixed = run_json([*SS, "--method", "freedman"])
    assert fixed["events"] > out["events_fixed"]  # Freedman asks for more than Schoenfeld


def test_boundaries_json_and_table() -> None:
    out = run_json(
        [
            "design",
            "boundaries",
            "--spending",
            "pocock",
            "--information",
            "0.5,1",
            "--alpha",
            "0.05",
            "--sides",
            "2",
            "--power",
            "0.9",
        ]
    )
    assert set(out) >= {"z", "cumulative_alpha", "inflation_factor"}
    assert out["cumulative_alpha"][-1] == 0.05
    table = runner.invoke(app, ["design", "boundaries", "--information", "0.3,0.7,1"])
    assert table.exit_code == 0 and "inflation factor" in table.stdout


def test_simulate_json_and_table() -> None:
    out = run_json(SIM)
    assert set(out) >= {
        "power",
        "mc_se",
        "mean_analysis_time",
        "stop_per_look",
        "expected_events",
        "expected_duration",
        "seed",
    }
    assert 0.8 < out["power"] < 0.97
    table = runner.invoke(app, SIM)
    assert table.exit_code == 0 and "power" in table.stdout


def test_check_and_conditional_power() -> None:
    out = run_json(["design", "check"])
    assert out["consistent"] is True and out["planned_subjects"] == 132
    cp = run_json(
        [
            "design",
            "conditional-power",
            "--events",
            "59",
            "--z",
            "-2",
            "--planned-events",
            "59,118",
            "--hazard-ratio",
            "0.55",
        ]
    )
    assert cp["conditional_power_design"] == pytest.approx(0.93474, abs=1e-4)


def test_check_exits_1_when_the_plan_does_not_fit(tmp_path: Path) -> None:
    from oligotrial.protocol import shipped_protocol_path

    text = Path(shipped_protocol_path()).read_text()
    assert "planned_subjects: 132" in text
    bad = tmp_path / "p.yaml"
    bad.write_text(text.replace("planned_subjects: 132", "planned_subjects: 110"))
    res = runner.invoke(app, ["design", "check", "--protocol", str(bad)])
    assert res.exit_code == 1 and "NOT CONSISTENT" in res.stdout


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ([*SS[:5], "0", *SS[6:]], "--hazard-ratio"),
        ([*SS[:7], "1.2", *SS[8:]], "--power"),
        (["design", "boundaries", "--information", "0.5,0.4,1"], "--information"),
        (["design", "boundaries", "--information", "0.5,0.9"], "--information"),
        (["design", "boundaries", "--information", "0.5,x"], "--information"),
        ([*SIM[:8], "100", *SIM[9:]], "--events"),
        ([*SIM[:6], "0", *SIM[7:]], "--accrual"),
        ([*SS, "--dropout-per-year", "1"], "--dropout-per-year"),
        ([*SIM, "--iterations", "0"], "--iterations"),
    ],
)
def test_bad_input_exits_2_naming_the_argument(args: list[str], name: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert name in res.stderr
    assert "Traceback" not in res.output


def test_subprocess_entry_point() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "oligotrial", *SS, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["events_fixed"] == pytest.approx(117.5955, abs=1e-3)


def test_simulate_with_piecewise_hazards_strata_and_futility() -> None:
    out = run_json(
        [
            "simulate",
            "--hazard-ratio",
            "0.7",
            "--accrual",
            "24",
            "--subjects",
            "132",
            "--events",
            "59,118",
            "--control-hazards",
            "0.3,0.15",
            "--piecewise-times",
            "0,4",
            "--strata",
            "0.5,0.3,0.2",
            "--sides",
            "1",
            "--alpha",
            "0.025",
            "--futility",
            "0",
            "--iterations",
            "1200",
            "--seed",
            "8",
        ]
    )
    assert out["futility_per_look"][0] > 0.02
    assert out["seed"] == 8 and out["iterations"] == 1200


def test_piecewise_accrual_from_the_command_line() -> None:
    ref = json.loads(
        (
            Path(__file__).resolve().parents[2] / "reference" / "design" / "design_reference.json"
        ).read_text()
    )["piecewise_accrual"]
    out = run_json(
        [
            "design",
            "sample-size",
            "--control-median",
            "3.1",
            "--hazard-ratio",
            "0.55",
            "--accrual",
            "6,24",
            "--accrual-intensity",
            "0.25,0.75",
            "--follow-up",
            "12",
            "--dropout-per-year",
            "0.1",
            "--information",
            "0.5,1",
        ]
    )
    assert out["subjects"] == pytest.approx(ref["subjects"], rel=1e-6)
    res = runner.invoke(app, [*SIM[:6], "6,24", *SIM[7:]])
    assert res.exit_code == 2 and "--accrual-intensity" in res.stderr


def test_simulate_scenario_grid() -> None:
    res = runner.invoke(
        app, [*SIM, "--grid", "hazard-ratio=0.55,1", "--grid", "accrual=12,24", "--json"]
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [(r["hazard_ratio"], r["accrual"]) for r in rows] == [
        (0.55, 12.0),
        (0.55, 24.0),
        (1.0, 12.0),
        (1.0, 24.0),
    ]
    assert rows[0]["power"] > 0.7 > 0.1 > rows[2]["power"]
    table = runner.invoke(app, [*SIM, "--grid", "subjects=140,160"])
    assert table.exit_code == 0 and "2 scenarios" in table.stdout
    bad = runner.invoke(app, [*SIM, "--grid", "alpha=0.1"])
    assert bad.exit_code == 2 and "--grid" in bad.stderr


def test_sample_size_with_subjects_solves_the_follow_up() -> None:
    ref = json.loads(
        (
            Path(__file__).resolve().parents[2] / "reference" / "design" / "design_reference.json"
        ).read_text()
    )["given_subjects"]
    args = [a for a in SS if a not in ("--follow-up", "12")]
    out = run_json([*args, "--subjects", "132", "--information", "0.5,1"])
    assert out["follow_up_months"] == pytest.approx(ref["follow_up"], rel=1e-5)
    both = runner.invoke(app, [*SS, "--subjects", "132"])
    assert both.exit_code == 2 and "--follow-up" in both.stderr
