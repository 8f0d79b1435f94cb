"""``oligotrial design explore``: options or YAML in, CSV/JSON/HTML out, Dask = in-process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oligotrial.cli import app

runner = CliRunner()
FLAGS = [
    "--hazard-ratio",
    "0.6,0.8,1",
    "--control-median",
    "6",
    "--accrual-rate",
    "10",
    "--subjects",
    "160",
    "--events",
    "120",
    "--dropout",
    "0,0.1",
    "--information",
    "1",
    "--information",
    "0.5,1",
    "--spending",
    "obrien-fleming,hwang-shih-decani:-2",
    "--futility",
    "none,obrien-fleming",
    "--trials",
    "600",
    "--seed",
    "17",
]
YAML = """\
hazard_ratio: [0.6, 0.8, 1]
control_median: 6
accrual_rate: 10
subjects: 160
events: 120
dropout: [0, 0.1]
information:
  - [1]
  - [0.5, 1]
spending: [obrien-fleming, "hwang-shih-decani:-2"]
futility: [none, obrien-fleming]
"""


def explore(args: list[str], out: Path) -> str:
    res = runner.invoke(app, ["design", "explore", *args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    return res.output


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_options_write_csv_json_and_html(tmp_path: Path) -> None:
    printed = explore(FLAGS, tmp_path)
    assert "36 cells x 600 trials (seed 17)" in printed
    rows = read_csv(tmp_path / "explore.csv")
    data = json.loads((tmp_path / "explore.json").read_text())
    assert len(rows) == len(data["cells"]) == 36
    assert data["seed"] == 17 and data["trials"] == 600
    assert data["varying"] == ["hazard_ratio", "dropout", "information", "spending", "futility"]
    for row, cell in zip(rows, data["cells"], strict=True):
        assert float(row["power"]) == cell["power"]
        assert int(row["stream"]) == cell["stream"]
        assert float(row["accrual_duration"]) == 16.0  # 160 subjects at 10 a month
    html = (tmp_path / "explore.html").read_text()
    assert html.count("data:image/png;base64,") == 2
    assert "HR 0.6" in html and "looks 0.5/1, hwang-shih-decani:-2, futility obrien-fleming" in html
    null = [c for c in data["cells"] if c["values"]["hazard_ratio"] == 1.0]
    assert max(c["power"] for c in null) < 0.06


def test_a_yaml_grid_gives_the_same_numbers_as_the_options(tmp_path: Path) -> None:
    (tmp_path / "grid.yaml").write_text(YAML)
    explore(FLAGS, tmp_path / "a")
    explore(
        ["--grid", str(tmp_path / "grid.yaml"), "--trials", "600", "--seed", "17"], tmp_path / "b"
    )
    assert read_csv(tmp_path / "a" / "explore.csv") == read_csv(tmp_path / "b" / "explore.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (YAML + "alpah: 0.05\n", "alpah: unknown key"),
        (YAML.replace("subjects: 160", "subjects: '160'"), "subjects: must be a whole number"),
        (YAML.replace("[0, 0.1]", "[0, 1.1]"), "dropout[1]: must be in [0, 1)"),
        (YAML.replace("  - [0.5, 1]", "  - [0.7, 0.5, 1]"), "information[1]: fractions must"),
        (YAML + "hazard_ratio: 0.5\n", "duplicate key"),
        ("hazard_ratio: [0.6\n", "not valid YAML"),
    ],
)
def test_bad_grid_files_exit_2_and_write_nothing(tmp_path: Path, text: str, message: str) -> None:
    grid = tmp_path / "grid.yaml"
    grid.write_text(text)
    out = tmp_path / "out"
    res = runner.invoke(app, ["design", "explore", "--grid", str(grid), "--out", str(out)])
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hazard-ratio", "0.6,x"], "--hazard-ratio: must be comma-separated numbers"),
        (["--hazard-ratio", "0.6,-1"], "--hazard-ratio value 2: must be > 0"),
        (["--events", "200"], "events: 200 events need as many subjects"),
        (["--spending", "pocock:1"], "--spending: must be one of"),
        (["--trials", "0"], "--trials: must be a whole number >= 1"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    base = ["--hazard-ratio", "0.7", "--control-median", "6", "--accrual-duration", "18"]
    base += ["--subjects", "160", "--events", "120"]
    out = tmp_path / "out"
    res = runner.invoke(app, ["design", "explore", *base, *args, "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert not out.exists()


def test_a_grid_file_and_options_together_are_refused(tmp_path: Path) -> None:
    (tmp_path / "grid.yaml").write_text(YAML)
    args = ["--grid", str(tmp_path / "grid.yaml"), "--hazard-ratio", "0.5"]
    res = runner.invoke(app, ["design", "explore", *args, "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "not both (--hazard-ratio)" in res.output


def test_dask_scheduler_gives_the_in_process_numbers(tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    small = [*FLAGS[: FLAGS.index("--trials")], "--trials", "500", "--seed", "23"]
    explore(small, tmp_path / "here")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        explore([*small, "--scheduler", cluster.scheduler_address], tmp_path / "dask")
    here = json.loads((tmp_path / "here" / "explore.json").read_text())
    there = json.loads((tmp_path / "dask" / "explore.json").read_text())
    assert here == there
    assert (tmp_path / "here" / "explore.csv").read_bytes() == (
        tmp_path / "dask" / "explore.csv"
    ).read_bytes()
