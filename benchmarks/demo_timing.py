"""Time the full demo (132 patients by default) and, in the same run, the anchor: the same
synthetic trial analysed without the database (generator -> endpoint engine -> report).

    python benchmarks/demo_timing.py [--patients 132] [--seed 7] [--repeats 1]

The demo runs as the user runs it (``python -m oligotrial demo`` in a child process, into a
temporary folder); its per-stage times come from the demo's manifest. The ratio shows what
the services (validation, audit trail, edit checks, SQLite) add to the pure pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run_demo(patients: int, seed: int) -> tuple[float, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        env.pop("OLIGOTRIAL_DATABASE_URL", None)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "oligotrial",
                "demo",
                "--out",
                str(out),
                "--patients",
                str(patients),
                "--seed",
                str(seed),
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        stages = json.loads((out / "demo.json").read_text())["seconds"]
    return wall, stages


def run_anchor(patients: int, seed: int) -> float:
    """Generator -> endpoint engine -> report (HTML + PDF), no database, in-process."""
    sys.path.insert(0, str(SRC))
    from oligotrial.reports import build_report, write_html, write_pdf
    from oligotrial.synth import simulate_trial
    from oligotrial.synth.frames import report_inputs

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = build_report(report_inputs(simulate_trial(seed, n_patients=patients)))
        write_html(report, Path(tmp) / "r.html")
        write_pdf(report, Path(tmp) / "r.pdf")
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=132)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    walls, anchors = [], []
    for k in range(args.repeats):
        wall, stages = run_demo(args.patients, args.seed + k)
        walls.append(wall)
        anchors.append(run_anchor(args.patients, args.seed + k))
        detail = ", ".join(f"{name} {sec:.1f} s" for name, sec in stages.items())
        print(f"demo seed {args.seed + k}: {wall:.1f} s wall ({detail})")
    demo, anchor = statistics.median(walls), statistics.median(anchors)
    print(f"ours   (oligotrial demo, {args.patients} patients, through the services): {demo:.1f} s")
    print(f"anchor (same trial, generator -> endpoints -> report, no database): {anchor:.1f} s")
    print(f"time ratio ours/anchor: {demo / anchor:.1f}")


if __name__ == "__main__":
    main()
