"""Under the benefit scenario the demo's estimated PFS hazard ratio (stratified Cox on the
analysis data exported from the database) lies near the simulated truth: over three full
132-patient demos the mean log HR is within three standard errors of the scenario's
large-sample Cox HR. The three demos run side by side in child processes, without the report
(four or more seeds would take well over a minute on two cores)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oligotrial.stats.cox import cox_ph
from oligotrial.synth import large_sample_hazard_ratio

SRC = Path(__file__).resolve().parents[3] / "src"
SEEDS = (101, 102, 103)
SNIPPET = (
    "import sys; from pathlib import Path; from oligotrial.demo import DemoOptions, "
    "run_demo; run_demo(DemoOptions(Path(sys.argv[1]), seed=int(sys.argv[2]), "
    "scenario='benefit', n_patients=132, xpt=False, formats=()), "
    "lambda label, total: (lambda: None))"
)


def _start(out: Path, seed: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("OLIGOTRIAL_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-c", SNIPPET, str(out), str(seed)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _log_hr(folder: Path) -> tuple[float, float]:
    adsl = pd.read_csv(folder / "analysis" / "adsl.csv")
    adtte = pd.read_csv(folder / "analysis" / "adtte.csv")
    d = adtte[adtte["PARAMCD"] == "PFS"].merge(
        adsl[["USUBJID", "STRAT_OLIGOPROGRESSION_SITE", "STRAT_FLST_ICI"]], on="USUBJID"
    )
    assert len(d) == 132
    strata = (d.STRAT_OLIGOPROGRESSION_SITE + "/" + d.STRAT_FLST_ICI).to_numpy()
    fit = cox_ph(
        d["AVAL"].to_numpy(float),
        (d["CNSR"] == 0).to_numpy(int),
        {"a": (d["ARMCD"] == "A").to_numpy(float)},
        strata=strata,
    )
    return math.log(fit.hazard_ratio["a"]), float(fit.se["a"])


@pytest.mark.slow
def test_estimated_hr_near_the_simulated_truth(tmp_path: Path) -> None:
    estimates = []
    running = {seed: _start(tmp_path / str(seed), seed) for seed in SEEDS}
    for seed, proc in running.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        estimates.append(_log_hr(tmp_path / str(seed)))
    logs = np.array([e[0] for e in estimates])
    se_mean = math.sqrt(sum(e[1] ** 2 for e in estimates)) / len(estimates)
    truth = math.log(large_sample_hazard_ratio("benefit"))
    print(f"HR per seed {np.round(np.exp(logs), 3).tolist()}, truth {math.exp(truth):.3f}")
    assert abs(logs.mean() - truth) < 3 * se_mean, (np.exp(logs), math.exp(truth))
    assert np.all(logs < 0)  # every trial shows the benefit
