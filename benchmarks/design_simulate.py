"""Benchmark: oligotrial's whole-trial simulation against rpact's getSimulationSurvival.

Run from the repository root: ``python benchmarks/design_simulate.py [--iterations N]``.
Both simulate the same one-sided design (rpact simulates only one-sided designs): control
median 3.1 months, hazard ratio 0.55, 132 subjects accrued over 24 months, 10% dropout
per year, log-rank at 118 events (1 look) or at 40, 79, 118 events with O'Brien-Fleming
spending (3 looks). oligotrial uses rpact's conventions here (evenly spaced entry,
alternating arms) and also the product default (random entry, permuted blocks).
Timings exclude interpreter start-up and package loading on both sides (rpact is timed
inside R with Sys.time(); oligotrial after one small warm-up run, which loads the compiled
kernel from numba's cache); the end-to-end ``python -m oligotrial simulate`` command is
timed as well.

Marginal cost of one scenario through the command line: a statistician loops over
scenarios, so what counts is what N more simulated trials cost, not Python's fixed
start-up. The command is run with N and with (1 + M) N trials (``--cli-multiple`` M,
default 9; best of ``--repeats`` each, wall-clock and processor time of the child), and the
difference divided by M is the marginal cost of N trials (a larger difference than N keeps
the start-up's jitter on a busy machine small against it); rpact runs N and 2N trials
within one R session (its start-up is outside the clock anyway), and the ratio of the two
marginal costs is printed. The command-line
configuration comparable to rpact's scenario is ``--entry even --allocation alternating``
(rpact spaces entries evenly over the accrual period and alternates the arms), the same
design (``--sides 1 --alpha 0.025``, O'Brien-Fleming spending at 40/79/118 events or one
look at 118), ``--dropout-per-year 0.1`` and ``--json`` (no progress bar), on the default
scheduler (threads on the machine's cores; rpact uses one core).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from oligotrial.design.scale_out import simulate  # noqa: E402
from oligotrial.design.trial_scenario import build_scenario  # noqa: E402

LOOKS = {1: [118], 3: [40, 79, 118]}

R_SCRIPT = r"""
suppressMessages(library(rpact))
args <- commandArgs(trailingOnly = TRUE)
iterations <- as.integer(args[1])
out <- c()
for (events in list(c(118), c(40, 79, 118))) {
  k <- length(events)
  d <- if (k == 1) getDesignGroupSequential(kMax = 1, alpha = 0.025, sided = 1) else
    getDesignGroupSequential(kMax = k, alpha = 0.025, sided = 1, typeOfDesign = "asOF",
                             informationRates = events / max(events))
  for (times in c(1, 2)) {
    t0 <- Sys.time()
    c0 <- proc.time()
    r <- suppressWarnings(getSimulationSurvival(d, median2 = 3.1, hazardRatio = 0.55,
      accrualTime = c(0, 24), plannedEvents = events, maxNumberOfSubjects = 132,
      dropoutRate1 = 0.1, dropoutRate2 = 0.1, dropoutTime = 12, directionUpper = FALSE,
      maxNumberOfIterations = times * iterations, seed = 1))
    el <- as.numeric(difftime(Sys.time(), t0, units = "secs"))
    cpu <- sum((proc.time() - c0)[c("user.self", "sys.self")])
    out <- c(out, sprintf('"%d%s": {"seconds": %.4f, "cpu": %.4f, "power": %.5f}', k,
                          if (times == 1) "" else "x2", el, cpu, r$overallReject))
  }
}
cat("{", paste(out, collapse = ", "), "}\n")
"""


def scenario(looks: int, rpact_like: bool):  # type: ignore[no-untyped-def]
    events = LOOKS[looks]
    extra = (
        {"entry": "even", "allocation": "alternating"}
        if rpact_like
        else {"entry": "random", "allocation": "blocks"}
    )
    return build_scenario(
        subjects=132,
        events=events,
        hazard_ratio=0.55,
        accrual=24.0,
        control_median=3.1,
        dropout_rate=0.1,
        alpha=0.025,
        sides=1,
        information=[e / events[-1] for e in events],
        **extra,
    )


def time_ours(
    looks: int, iterations: int, rpact_like: bool, repeats: int = 3, engine: str = "kernel"
) -> tuple[float, float, float]:
    """Best wall-clock seconds (2 threads), CPU seconds of that run, and power."""
    sc = scenario(looks, rpact_like)
    simulate(sc, 2000, 1, engine=engine)  # warm-up: loads the cached compiled kernel
    best = (float("inf"), float("inf"))
    power = float("nan")
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        res = simulate(sc, iterations, 1, engine=engine)
        run = (time.perf_counter() - t0, time.process_time() - c0)
        best = min(best, run)
        power = res.power
    return best[0], best[1], power


def time_rpact(iterations: int) -> dict[str, dict[str, float]]:
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as fh:
        fh.write(R_SCRIPT)
    try:
        out = subprocess.run(
            ["Rscript", fh.name, str(iterations)], capture_output=True, text=True, check=True
        )
    finally:
        os.unlink(fh.name)
    return json.loads(out.stdout.strip())


def time_cli_best(looks: int, iterations: int, repeats: int) -> tuple[float, float]:
    """Best of ``repeats`` runs of the command: wall-clock and processor seconds."""
    runs = []
    for _ in range(repeats):
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time_cli(looks, iterations)
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append((wall, c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime))
    return min(w for w, _ in runs), min(c for _, c in runs)


def time_cli(looks: int, iterations: int) -> float:
    events = ",".join(str(e) for e in LOOKS[looks])
    cmd = [
        sys.executable,
        "-m",
        "oligotrial",
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
        events,
        "--alpha",
        "0.025",
        "--sides",
        "1",
        "--iterations",
        str(iterations),
        "--seed",
        "1",
        "--dropout-per-year",
        "0.1",
        "--entry",
        "even",
        "--allocation",
        "alternating",
        "--json",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5, help="CLI runs per trial count")
    parser.add_argument(
        "--cli-multiple", type=int, default=9, help="the CLI also runs (1 + M) N trials"
    )
    args = parser.parse_args()
    n = args.iterations
    print(
        f"{n} simulated trials, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.2f}; seconds (oligotrial best of 3, rpact one run);"
    )
    print("wall = elapsed time (oligotrial on 2 threads), cpu = processor time used")
    rpact = time_rpact(n)
    for looks in (1, 3):
        r = rpact[str(looks)]
        wall, cpu, p_ours = time_ours(looks, n, rpact_like=True)
        d_wall, d_cpu, _ = time_ours(looks, n, rpact_like=False)
        cli = time_cli(looks, n)
        s_wall, s_cpu, _ = time_ours(looks, n, rpact_like=True, repeats=1, engine="stats")
        print(f"{looks} look(s):")
        print(
            f"  rpact getSimulationSurvival  wall {r['seconds']:.2f}  cpu {r['cpu']:.2f}  "
            f"power {r['power']:.4f}"
        )
        print(
            f"  oligotrial (rpact's entry/allocation)  wall {wall:.3f}  cpu {cpu:.3f}  "
            f"power {p_ours:.4f}  -> {r['seconds'] / wall:.1f}x wall, "
            f"{r['cpu'] / cpu:.1f}x cpu"
        )
        print(
            f"  oligotrial (random entry, permuted blocks)  wall {d_wall:.3f}  cpu {d_cpu:.3f}"
            f"  -> {r['seconds'] / d_wall:.1f}x wall"
        )
        print(
            f"  numpy path with stats.logrank_batched (engine='stats')  wall {s_wall:.3f}  "
            f"cpu {s_cpu:.3f}  -> {r['seconds'] / s_wall:.1f}x wall"
        )
        print(
            f"  python -m oligotrial simulate (start-up included)  wall {cli:.2f}  -> "
            f"{r['seconds'] / cli:.1f}x wall"
        )
        r2 = rpact[f"{looks}x2"]
        mult = args.cli_multiple
        (one, one_cpu), (more, more_cpu) = (
            time_cli_best(looks, k * n, args.repeats) for k in (1, 1 + mult)
        )
        r_wall, cli_wall = r2["seconds"] - r["seconds"], (more - one) / mult
        r_cpu, cli_cpu = r2["cpu"] - r["cpu"], (more_cpu - one_cpu) / mult
        print(
            f"  marginal cost of {n} more trials: rpact ({n} -> {2 * n}) {r_wall:.2f} s wall, "
            f"{r_cpu:.2f} s cpu; CLI (best of {args.repeats}, {n} -> {(1 + mult) * n}: "
            f"{one:.2f} -> {more:.2f} s wall) {cli_wall:.3f} s wall, {cli_cpu:.3f} s cpu  -> "
            f"{r_wall / cli_wall:.1f}x wall, {r_cpu / cli_cpu:.1f}x cpu"
        )
    print(
        "rpact 3.3.4 counts a trial whose D-th event is the last possible one as 'events not "
        "achieved' (no rejection); oligotrial analyses it, hence its slightly higher power "
        "with 132 subjects."
    )


if __name__ == "__main__":
    main()
