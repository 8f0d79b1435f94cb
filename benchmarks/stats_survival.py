"""Speed of oligotrial.stats against R survival and lifelines, measured in the same run.

Run from the repository root: ``python benchmarks/stats_survival.py`` (options: ``--sizes``,
``--repeats``, ``--data``, ``--no-r``). R (``Rscript`` with the survival package) times itself
inside R with ``system.time`` over the same repeats, on the same data written to a temporary
CSV (full precision), right after ours.

Two data shapes, both by default (``--data tied|untied|both``): ``tied``, times in whole days
(exponential months times 30.4375, rounded up: about 1,100 distinct times, so at 10^6 rows
each time is shared by ~900 rows, as in real trial data); ``untied``, the same times in
months at full double precision (every time distinct).
lifelines is optional and skipped with a message if absent; it needs pandas < 3, so install
it in a separate environment (``python -m venv --system-site-packages v && v/bin/pip install
lifelines``) and run the script with that environment's python.

Reported: seconds per call (median of the repeats) for
- Kaplan-Meier with log-scale CIs and the median with its CI,
- two-group log-rank test,
at each size (rows), at trial size (n = 132, per call), and the batched log-rank over
(trials, 132) per trial against R looping ``survdiff``. Ratios > 1 mean we are faster.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from oligotrial.stats import kaplan_meier, logrank_batched, logrank_test

R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
out <- list()
for (i in seq(1, length(args), by = 2)) {
  d <- read.csv(args[i]); reps <- as.integer(args[i + 1])
  km <- system.time(for (r in 1:reps) {
    f <- survfit(Surv(time, event) ~ 1, data = d, conf.type = "log")
    q <- quantile(f, 0.5)
  })[["elapsed"]] / reps
  lr <- system.time(for (r in 1:reps) {
    survdiff(Surv(time, event) ~ group, data = d)
  })[["elapsed"]] / reps
  out[[length(out) + 1]] <- sprintf('{"file": "%s", "km": %.9g, "logrank": %.9g}', args[i], km, lr)
}
cat("[", paste(out, collapse = ","), "]\n")
"""

R_BATCH = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); trials <- max(d$trial)
el <- system.time(for (k in 1:trials) {
  s <- d[d$trial == k, ]
  survdiff(Surv(time, event) ~ group, data = s)
})[["elapsed"]]
split_time <- system.time(for (k in 1:trials) s <- d[d$trial == k, ])[["elapsed"]]
cat(sprintf('{"per_trial": %.9g}\n', (el - split_time) / trials))
"""


def make_data(
    n: int, rng: np.random.Generator, tied: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two arms (medians 3.1 and 6 months), uniform censoring over 36 months."""
    group = rng.integers(0, 2, n)
    event_time = rng.exponential(np.where(group == 1, 6.0, 3.1) / np.log(2))
    censor = rng.uniform(0.0, 36.0, n)
    months = np.minimum(event_time, censor)
    time_ = np.ceil(months * 30.4375) if tied else months  # whole days, or exact months
    return time_, (event_time <= censor).astype(int), group


def seconds(func: Callable[[], object], repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def ours_km(t: np.ndarray, e: np.ndarray) -> object:
    fit = kaplan_meier(t, e)
    return fit.median_ci


def lifelines_funcs() -> tuple[Callable[..., object], Callable[..., object]] | None:
    try:
        from lifelines import KaplanMeierFitter
        from lifelines.statistics import logrank_test as ll_logrank
    except ImportError:
        return None

    def km(t: np.ndarray, e: np.ndarray) -> object:
        from lifelines.utils import median_survival_times

        fit = KaplanMeierFitter().fit(t, e)
        return fit.median_survival_time_, median_survival_times(fit.confidence_interval_)

    def lr(t: np.ndarray, e: np.ndarray, g: np.ndarray) -> object:
        return ll_logrank(t[g == 0], t[g == 1], e[g == 0], e[g == 1]).test_statistic

    return km, lr


def per_call_repeats(n: int, base: int) -> int:
    return max(base, int(2e5 // n)) if n <= 10_000 else base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--trials", type=int, default=2000, help="batched log-rank trials")
    parser.add_argument("--no-r", action="store_true")
    parser.add_argument("--data", choices=("tied", "untied", "both"), default="both")
    args = parser.parse_args()
    rng = np.random.default_rng(20260101)
    sizes = [132] + [int(float(s)) for s in args.sizes.split(",")]
    shapes = ["tied", "untied"] if args.data == "both" else [args.data]
    have_r = not args.no_r and shutil.which("Rscript") is not None
    lifelines = lifelines_funcs()
    if lifelines is None:
        print("lifelines not installed: skipped (pip install lifelines to include it)")
    if not have_r:
        print("Rscript not found or --no-r: R skipped")

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        r_args: list[str] = []
        for shape, n in ((shape, n) for shape in shapes for n in sizes):
            t, e, g = make_data(n, rng, shape == "tied")
            reps = per_call_repeats(n, args.repeats)
            row: dict[str, Any] = {"data": shape, "n": n, "reps": reps}
            row["km"] = seconds(lambda t=t, e=e: ours_km(t, e), reps)
            row["logrank"] = seconds(lambda t=t, e=e, g=g: logrank_test(t, e, g), reps)
            if lifelines is not None:
                ll_reps = min(reps, 200)
                row["ll_km"] = seconds(lambda t=t, e=e: lifelines[0](t, e), ll_reps)
                row["ll_logrank"] = seconds(lambda t=t, e=e, g=g: lifelines[1](t, e, g), ll_reps)
            if have_r:
                path = Path(tmp) / f"d_{shape}_{n}.csv"
                np.savetxt(
                    path,
                    np.column_stack([t, e, g]),
                    delimiter=",",
                    fmt=["%.17g", "%d", "%d"],
                    header="time,event,group",
                    comments="",
                )
                r_args += [str(path), str(reps)]
            rows.append(row)
        if have_r:
            script = Path(tmp) / "bench.R"
            script.write_text(R_SCRIPT)
            out = subprocess.run(
                ["Rscript", str(script), *r_args], capture_output=True, text=True, check=True
            )
            for row, r in zip(rows, json.loads(out.stdout), strict=True):
                row["r_km"], row["r_logrank"] = r["km"], r["logrank"]

        # batched log-rank over (trials, 132)
        trials, n = args.trials, 132
        t, e, g = make_data(trials * n, rng, False)
        t, e, g = t.reshape(trials, n), e.reshape(trials, n), g.reshape(trials, n)
        batch = seconds(lambda: logrank_batched(t, e, g), 3) / trials
        loop = seconds(lambda: [logrank_test(t[i], e[i], g[i]) for i in range(200)], 1) / 200
        r_batch = None
        if have_r:
            path = Path(tmp) / "batch.csv"
            r_trials = min(trials, 1000)
            trial_id = np.repeat(np.arange(1, r_trials + 1), n)
            np.savetxt(
                path,
                np.column_stack(
                    [trial_id, t[:r_trials].ravel(), e[:r_trials].ravel(), g[:r_trials].ravel()]
                ),
                delimiter=",",
                fmt=["%d", "%.17g", "%d", "%d"],
                header="trial,time,event,group",
                comments="",
            )
            script = Path(tmp) / "batch.R"
            script.write_text(R_BATCH)
            out = subprocess.run(
                ["Rscript", str(script), str(path)], capture_output=True, text=True, check=True
            )
            r_batch = json.loads(out.stdout)["per_trial"]

    def fmt(x: float | None) -> str:
        return "-" if x is None else f"{x * 1e3:10.3f}"

    def ratio(a: float | None, b: float) -> str:
        return "-" if a is None else f"{a / b:7.1f}x"

    print("\nseconds per call in milliseconds; ratio = other / ours (>1: ours faster)")
    head = f"{'data':>6} {'rows':>8} | {'KM ours':>10} {'KM R':>10} {'R/ours':>8}"
    head += f" {'KM ll':>10} {'ll/ours':>8}"
    head += f" | {'LR ours':>10} {'LR R':>10} {'R/ours':>8} {'LR ll':>10} {'ll/ours':>8}"
    print(head)
    for row in rows:
        line = f"{row['data']:>6} {row['n']:>8} | {fmt(row['km'])} {fmt(row.get('r_km'))} "
        line += f"{ratio(row.get('r_km'), row['km']):>8} {fmt(row.get('ll_km'))} "
        line += f"{ratio(row.get('ll_km'), row['km']):>8} | {fmt(row['logrank'])} "
        line += f"{fmt(row.get('r_logrank'))} {ratio(row.get('r_logrank'), row['logrank']):>8} "
        line += f"{fmt(row.get('ll_logrank'))} {ratio(row.get('ll_logrank'), row['logrank']):>8}"
        print(line)
    print(f"\nbatched log-rank, {trials} trials x 132 patients, per trial (ms):")
    print(
        f"  logrank_batched {fmt(batch)}   logrank_test loop {fmt(loop)}   "
        f"R survdiff loop {fmt(r_batch)}   R/batched {ratio(r_batch, batch)}"
    )


if __name__ == "__main__":
    main()
