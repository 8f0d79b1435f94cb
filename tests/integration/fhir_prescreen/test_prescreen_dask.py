"""``oligotrial prescreen --scheduler``: partitioned by patient over a Dask cluster, the
same files as the plain run, bad lines included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from distributed import LocalCluster
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.synth.hospital_export import write_hospital_export

DAY = dt.date(2026, 6, 1)
BAD = {
    "Observation.ndjson": b'{"resourceType": "Observation", "id": "cut"\n',
    "Condition.ndjson": b'{"resourceType": "Foo", "id": "x"}\n',
    "Procedure.ndjson": (
        b'{"resourceType": "Procedure", "id": "p-ghost", "status": "completed",'
        b' "subject": {"reference": "Patient/ghost"}}\n'
    ),
}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_cluster_run_writes_exactly_the_plain_files(tmp_path: Path) -> None:
    export = write_hospital_export(
        tmp_path / "bulk", 200, np.random.default_rng(5), screening_date=DAY, hcc_share=0.3
    )
    for name, line in BAD.items():
        with (export.directory / name).open("ab") as fh:
            fh.write(line)
    plain, spread = tmp_path / "plain", tmp_path / "spread"
    args = ["prescreen", str(export.directory), "--as-of", DAY.isoformat(), "--out"]
    result = CliRunner().invoke(app, [*args, str(plain)])
    assert result.exit_code == 0, result.output
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False) as cluster:
        result = CliRunner().invoke(
            app, [*args, str(spread), "--scheduler", cluster.scheduler_address]
        )
    assert result.exit_code == 0, result.output
    assert "candidates" in result.output
    expected, got = _files(plain), _files(spread)
    assert len(expected) > 5 and set(got) == set(expected)
    for name, content in expected.items():
        assert got[name] == content, name
    problems = expected["problems.csv"].decode()
    assert "unknown resource type 'Foo'" in problems and "Patient/ghost" in problems
    assert "not a JSON resource" in problems


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    export = write_hospital_export(
        tmp_path / "bulk", 5, np.random.default_rng(1), screening_date=DAY, hcc_share=0.5
    )
    result = CliRunner().invoke(
        app,
        [
            "prescreen",
            str(export.directory),
            "--out",
            str(tmp_path / "o"),
            "--scheduler",
            "tcp://127.0.0.1:1",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "--scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:1" in result.output
    assert not (tmp_path / "o").exists()
