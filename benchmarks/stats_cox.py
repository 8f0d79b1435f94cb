"""Cox model speed: oligotrial vs R survival::coxph vs lifelines, in one run.

    python benchmarks/stats_cox.py                 # n = 132, 10^3 .. 10^6
    python benchmarks/stats_cox.py --sizes 132,1000 --lifelines-max 1000000
    python benchmarks/stats_cox.py --counting      # (start, stop] rows, robust variance

Same data for all three (written to a temporary CSV for R, full precision): three
covariates (binary, two continuous), exponential event times in months, censored at
random and at 36 months. Two data shapes, both by default (``--data tied|untied|both``):
``tied``, times in whole days (months times 30.4375, rounded up: about 1,100 distinct
times, so at 10^6 rows each is shared by ~900 rows, as in real trial data); ``untied``,
the months at full double precision (every time distinct).
Each timing is the best of several repeats of one full fit with standard errors
(Efron ties); data loading is not timed. lifelines is optional (``pip install
lifelines``; not a dependency) and skipped when missing; Rscript likewise.
The coefficient columns show the largest relative difference to R.

``--counting``: each subject's follow-up is cut at a visit halfway through, after which
``score`` takes a new value (a time-dependent covariate): about 2n (start, stop] rows,
fitted with the robust variance clustered by subject, against R's
``coxph(Surv(start, stop, event) ~ arm + age + score + cluster(id))``; n counts subjects.
lifelines is not run in this mode.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from oligotrial.stats.cox import cox_ph

R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
reps <- as.integer(args[2])
best <- Inf
for (r in seq_len(reps)) {
  t0 <- proc.time()[["elapsed"]]
  inner <- as.integer(args[3])
  for (i in seq_len(inner)) fit <- coxph(Surv(time, event) ~ arm + age + score, data = d)
  best <- min(best, (proc.time()[["elapsed"]] - t0) / inner)
}
se <- sqrt(diag(fit$var))
cat(sprintf('{"seconds": %.9g, "coef": [%s]}\n', best,
            paste(sprintf("%.17g", coef(fit)), collapse = ",")))
"""
R_COUNTING = R_SCRIPT.replace(
    "Surv(time, event) ~ arm + age + score",
    "Surv(start, stop, event) ~ arm + age + score + cluster(id)",
)


def make_data(n: int, seed: int, tied: bool) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    arm = rng.binomial(1, 0.5, n).astype(float)
    age = np.round(rng.normal(62.0, 9.0, n), 1)
    score = rng.normal(0.0, 1.0, n)
    hazard = 0.1 * np.exp(-0.6 * arm + 0.02 * (age - 62.0) + 0.3 * score)
    event_time = rng.exponential(1.0 / hazard)
    censor = np.minimum(rng.exponential(25.0, n), 36.0)
    months = np.minimum(event_time, censor)
    t = np.maximum(np.ceil(months * 30.4375), 1.0) if tied else months
    return {
        "time": t,
        "event": (event_time <= censor).astype(float),
        "arm": arm,
        "age": age,
        "score": score,
    }


def make_counting_data(n: int, seed: int, tied: bool) -> dict[str, np.ndarray]:
    """``make_data`` with each follow-up cut at a visit after which ``score`` changes."""
    d = make_data(n, seed, tied)
    rng = np.random.default_rng(seed + 1)
    visit = np.floor(d["time"] / 2.0) if tied else d["time"] / 2.0
    two = visit > 0
    first = np.flatnonzero(two)
    rows = np.concatenate((first, np.arange(n)))
    score = np.concatenate((d["score"][first], rng.normal(0.0, 1.0, n)))
    return {
        "start": np.concatenate((np.zeros(first.size), np.where(two, visit, 0.0))),
        "stop": np.concatenate((visit[first], d["time"])),
        "event": np.concatenate((np.zeros(first.size), d["event"])),
        "arm": d["arm"][rows],
        "age": d["age"][rows],
        "score": score,
        "id": rows.astype(float),
    }


def best_of(fn: Any, repeats: int, inner: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - start) / inner)
    return best


def plan(n: int) -> tuple[int, int]:
    """(repeats, calls per repeat) so that small sizes are timed over many calls."""
    if n <= 1_000:
        return 5, 200
    if n <= 100_000:
        return 3, 5
    return 3, 1


def run_ours(d: dict[str, np.ndarray], n: int) -> tuple[float, list[float]]:
    covs = {"arm": d["arm"], "age": d["age"], "score": d["score"]}
    if "start" in d:

        def fit_once() -> Any:
            return cox_ph(d["stop"], d["event"], covs, start=d["start"], cluster=d["id"])
    else:

        def fit_once() -> Any:
            return cox_ph(d["time"], d["event"], covs)

    fit = fit_once()
    seconds = best_of(fit_once, *plan(n))
    return seconds, [fit.coef[k] for k in covs]


def run_r(csv: Path, n: int, counting: bool = False) -> tuple[float, list[float]] | None:
    if shutil.which("Rscript") is None:
        return None
    repeats, inner = plan(n)
    script = csv.parent / "bench.R"
    script.write_text(R_COUNTING if counting else R_SCRIPT)
    out = subprocess.run(
        ["Rscript", str(script), str(csv), str(repeats), str(inner)],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return float(res["seconds"]), [float(c) for c in res["coef"]]


def run_lifelines(d: dict[str, np.ndarray], n: int) -> tuple[float, list[float]] | None:
    try:
        import pandas as pd
        from lifelines import CoxPHFitter
    except ImportError:
        return None
    frame = pd.DataFrame(d)
    fitter = CoxPHFitter()
    repeats, inner = plan(n)
    repeats, inner = min(repeats, 2), max(1, inner // 20)
    seconds = best_of(lambda: fitter.fit(frame, "time", "event"), repeats, inner)
    _ = fitter.standard_errors_
    return seconds, [float(fitter.params_[k]) for k in ("arm", "age", "score")]


def rel_diff(a: list[float], b: list[float]) -> float:
    return max(abs(x - y) / abs(y) for x, y in zip(a, b, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="132,1000,10000,100000,1000000")
    parser.add_argument(
        "--lifelines-max",
        type=int,
        default=100_000,
        help="largest n given to lifelines (it takes ~45 s at 10^6)",
    )
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument(
        "--counting", action="store_true", help="(start, stop] rows with a robust variance"
    )
    parser.add_argument("--data", choices=("tied", "untied", "both"), default="both")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = ["tied", "untied"] if args.data == "both" else [args.data]
    warm = make_data(50, 1, False)
    cox_ph(warm["time"], warm["event"], {"arm": warm["arm"]})  # compile
    header = (
        f"{'data':>6} {'n':>9} {'ours ms':>10} {'R ms':>10} {'lifelines ms':>13} "
        f"{'R/ours':>8} {'lifelines/ours':>15} {'|coef-R|/R':>11} {'lifel-R':>9}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for shape, n in ((shape, n) for shape in shapes for n in sizes):
            tied = shape == "tied"
            d = (
                make_counting_data(n, args.seed, tied)
                if args.counting
                else make_data(n, args.seed, tied)
            )
            csv = Path(tmp) / f"cox_{shape}_{n}.csv"
            np.savetxt(
                csv,
                np.column_stack([d[k] for k in d]),
                delimiter=",",
                header=",".join(d),
                comments="",
                fmt="%.17g",
            )
            ours, ours_coef = run_ours(d, n)
            r = run_r(csv, n, args.counting)
            life = None if args.counting or n > args.lifelines_max else run_lifelines(d, n)
            cells = [
                f"{shape:>6}",
                f"{n:>9}",
                f"{ours * 1e3:>10.3f}",
                f"{r[0] * 1e3:>10.3f}" if r else f"{'-':>10}",
                f"{life[0] * 1e3:>13.1f}" if life else f"{'-':>13}",
                f"{r[0] / ours:>8.1f}" if r else f"{'-':>8}",
                f"{life[0] / ours:>15.1f}" if life else f"{'-':>15}",
                f"{rel_diff(ours_coef, r[1]):>11.1e}" if r else f"{'-':>11}",
                f"{rel_diff(life[1], r[1]):>9.1e}" if (r and life) else f"{'-':>9}",
            ]
            print(" ".join(cells), flush=True)


if __name__ == "__main__":
    main()
