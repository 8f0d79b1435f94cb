"""Benchmark: a 100-cell design-exploration grid through the command line.

Run from the repository root: ``python benchmarks/design_explore.py [--trials N]``.
Times ``python -m oligotrial design explore`` on a 100-cell grid (5 hazard ratios x 2
control medians x 2 look plans x 5 spending functions; 132 subjects, 118 events, 24
months' accrual, 10% dropout: the trial's own sizes) with N trials per cell (10,000 by
default), and, in the same run as the baseline, ``python -m oligotrial simulate`` of one
3-look scenario with the same total number of trials (100 N). Both are whole commands
(interpreter start-up, imports, outputs); wall-clock and processor seconds of the child
process are printed with the load average, since the machine may be shared. The grid has
10 simulated populations (HR x median), whose cells share their trials, so it simulates
10 N distinct trials; the rest of its cost is start-up, the designs, the outputs and the
page with its plots.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRID = """\
hazard_ratio: [0.55, 0.65, 0.75, 0.85, 1.0]
control_median: [3.1, 4.5]
accrual_duration: 24
dropout: 0.1
subjects: 132
events: 118
information: [[0.5, 1], [0.34, 0.67, 1]]
spending: [obrien-fleming, pocock, "hwang-shih-decani:-4", "hwang-shih-decani:-2",
           "hwang-shih-decani:1"]
"""


def timed(args: list[str]) -> tuple[float, float]:
    """Wall-clock and processor seconds of ``python -m oligotrial ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "oligotrial", *args], check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=10_000, help="trials per cell")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        grid = Path(tmp) / "grid.yaml"
        grid.write_text(GRID, encoding="utf-8")
        common = ["--trials", str(args.trials), "--seed", "1", "--out", str(Path(tmp) / "out")]
        # warm-up: loads the compiled kernel into the file-system cache
        timed(["design", "explore", "--grid", str(grid), "--trials", "100", "--out", tmp + "/w"])
        load = os.getloadavg()[0]
        grid_wall, grid_cpu = timed(["design", "explore", "--grid", str(grid), *common])
        base = [
            "simulate",
            "--control-median",
            "3.1",
            "--hazard-ratio",
            "0.75",
            "--accrual",
            "24",
            "--subjects",
            "132",
            "--events",
            "40,79,118",
            "--alpha",
            "0.025",
            "--sides",
            "1",
            "--dropout-per-year",
            "0.1",
            "--iterations",
            str(100 * args.trials),
            "--seed",
            "1",
            "--json",
        ]
        base_wall, base_cpu = timed(base)
        load_after = os.getloadavg()[0]
    print(f"load average {load:.2f} before, {load_after:.2f} after; {os.cpu_count()} cores")
    print(f"design explore, 100 cells x {args.trials} trials: {grid_wall:.2f} s wall, ", end="")
    print(f"{grid_cpu:.2f} s processor")
    print(f"simulate, 1 scenario x {100 * args.trials} trials: {base_wall:.2f} s wall, ", end="")
    print(f"{base_cpu:.2f} s processor")
    print(f"grid / single scenario: {grid_wall / base_wall:.2f}x wall, {grid_cpu / base_cpu:.2f}x")


if __name__ == "__main__":
    main()
