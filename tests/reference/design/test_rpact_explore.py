"""One cell of ``oligotrial design explore`` against rpact's getSimulationSurvival.

``explore_reference.R`` simulated the cell of ``explore_reference.yaml`` (three looks,
O'Brien-Fleming-type efficacy and non-binding beta-spending futility bounds, HR 0.7,
dropout, accrual over 18 months; rpact's even entry and alternating allocation) 100,000
times and wrote power, expected events and duration and the stopping probabilities per
look with their Monte Carlo standard errors. The command runs the same cell from the
YAML file; each number must lie within 2 combined standard errors of rpact's
(sqrt(se_ours^2 + se_rpact^2)), the bounds within 1e-6.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oligotrial.cli import app

HERE = Path(__file__).parent
TRIALS = 100_000


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _se_column(quantity: str) -> str:
    for kind in ("efficacy_", "futility_"):
        if quantity.startswith(kind) and "bound" not in quantity:
            return f"{kind}se_{quantity.removeprefix(kind)}"
    return f"{quantity}_se"


@pytest.mark.slow
def test_explore_cell_agrees_with_rpact(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "design",
            "explore",
            "--grid",
            str(HERE / "explore_reference.yaml"),
            "--trials",
            str(TRIALS),
            "--seed",
            "20261206",
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code == 0, res.output
    (ours,) = _rows(tmp_path / "explore.csv")
    reference = _rows(HERE / "explore_reference.csv")
    assert len(reference) == 13
    for ref in reference:
        q = ref["quantity"]
        value, mine = float(ref["value"]), float(ours[q])
        if not ref["se"]:
            assert mine == pytest.approx(value, abs=1e-6), q
            continue
        se = math.hypot(float(ref["se"]), float(ours[_se_column(q)]))
        assert se > 0, q
        assert abs(mine - value) < 2 * se, f"{q}: ours {mine}, rpact {value}, combined SE {se}"
