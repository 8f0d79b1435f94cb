"""Screening speed on the one path (strict record model → facts → rules), three ways.

Run: ``python benchmarks/screening_batch.py [--patients 100000] [--engine-sample 3000]``

1. The engine: per parsed record (a dict from ``json.loads``), validation as a
   ``ScreeningRecord`` plus ``evaluate`` against the shipped protocol; median, 90th
   percentile and mean over ``--engine-sample`` records, timed one record at a time, and
   the median CPU time of a record (less sensitive than wall time to what else the
   machine runs); the load average is printed beside it.
2. A batch: ``--patients`` records written as a JSON Lines file and screened by
   ``oligotrial screen FILE.jsonl --json`` in a fresh process (start-up, reading, parsing,
   the process pool with one process per core, and the JSON output all included); the
   peak memory is the largest sum of resident set sizes over the command and its worker
   processes, sampled every 20 ms (an upper bound: shared pages count once per process).
3. Cold start: ``oligotrial screen`` of one record (``examples/screening/eligible-01.json``)
   in a fresh process, five times.

Records are the shipped examples varied at random (seeded): dates, labs, lesions, ECOG.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from oligotrial.eligibility import evaluate, record_from_data
from oligotrial.protocol import load_protocol

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 1, 1)
COMMAND = [sys.executable, "-m", "oligotrial", "screen"]


def _shift(day: str | None, days: int) -> str | None:
    if day is None:
        return None
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def _shift_all(node: Any, days: int) -> Any:
    """Every ISO date in a record moved by the same number of days (order is kept)."""
    if isinstance(node, dict):
        return {k: _shift_all(v, days) for k, v in node.items()}
    if isinstance(node, list):
        return [_shift_all(v, days) for v in node]
    if isinstance(node, str) and len(node) == 10 and node[4] == "-" and node[7] == "-":
        return _shift(node, days)
    return node


def synthetic_records(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` varied records (seeded)."""
    rng = np.random.default_rng(seed)
    folder = ROOT / "examples" / "screening"
    bases = [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]
    records = []
    for i in range(n):
        r: dict[str, Any] = copy.deepcopy(bases[int(rng.integers(len(bases)))])
        r["patient_id"] = f"P{i:07d}"
        birth = _shift(r.pop("birth_date"), int(rng.integers(-3000, 3000)))
        r = _shift_all(r, -int(rng.integers(0, 300)))
        r["birth_date"] = birth
        labs = r["labs"]
        for name, scale in (("bilirubin", 0.3), ("albumin", 0.1), ("afp", 0.8), ("alt", 0.3)):
            if labs.get(name):
                labs[name]["value"] = round(float(labs[name]["value"] * rng.lognormal(0, scale)), 1)
        for lesion in r["oligoprogression"]["lesions"] or []:
            for key in ("longest_diameter_mm", "short_axis_mm"):
                if lesion.get(key):
                    lesion[key] = round(float(lesion[key] * rng.uniform(0.6, 1.6)), 1)
        r["ecog"] = int(rng.choice([0, 0, 1, 1, 2]))
        records.append(r)
    return records


def engine(records: list[dict[str, Any]]) -> None:
    protocol = load_protocol()
    parsed = [json.loads(json.dumps(r)) for r in records]
    for data in parsed[:200]:  # warm up
        evaluate(protocol, record_from_data(data, as_of=AS_OF), checked=True)
    validate, total, cpu = [], [], []
    for data in parsed:
        c0 = time.process_time()
        t0 = time.perf_counter()
        record = record_from_data(data, as_of=AS_OF)
        t1 = time.perf_counter()
        evaluate(protocol, record, checked=True)
        t2 = time.perf_counter()
        cpu.append(time.process_time() - c0)
        validate.append(t1 - t0)
        total.append(t2 - t0)
    us = np.array(total) * 1e6
    print(
        f"engine, per parsed record ({len(parsed)} records): median {np.median(us):.0f} µs"
        f" (validation {statistics.median(validate) * 1e6:.0f}), 90th percentile"
        f" {np.percentile(us, 90):.0f} µs, mean {us.mean():.0f} µs; CPU time median"
        f" {statistics.median(cpu) * 1e6:.0f} µs (load average {os.getloadavg()[0]:.1f})"
    )


@dataclass
class Measured:
    wall: float  # seconds
    cpu: float  # CPU seconds of the command and its worker processes
    peak_mb: float  # largest sum of resident set sizes
    done: subprocess.CompletedProcess[bytes]


def _run_measured(command: list[str]) -> Measured:
    """Wall and CPU seconds and peak resident memory of ``command`` and its children. CPU
    time does not depend on what else the machine runs; wall time does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    cpu: dict[int, float] = {}  # last CPU seconds seen per worker process
    watched = psutil.Process(process.pid)

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            try:
                tree = watched.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in [watched, *tree]))
                for p in tree:
                    times = p.cpu_times()
                    cpu[p.pid] = times.user + times.system
            except psutil.Error:
                pass
            time.sleep(0.02)

    watcher = threading.Thread(target=sample)
    watcher.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - t0
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    done = subprocess.CompletedProcess(command, process.returncode, out, err)
    return Measured(seconds, own + sum(cpu.values()), peak / 1e6, done)


def batch(records: list[dict[str, Any]], folder: Path) -> None:
    path = folder / "records.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for r in records:
            file.write(json.dumps(r, ensure_ascii=False) + "\n")
    size = path.stat().st_size / 1e6
    command = [*COMMAND, str(path), "--json", "--as-of", AS_OF.isoformat()]
    run = _run_measured(command)
    if run.done.returncode != 0:
        raise SystemExit(run.done.stderr.decode())
    summary = json.loads(run.done.stdout)["summary"]
    cores = os.cpu_count() or 1
    print(
        f"batch: {len(records)} records ({size:.0f} MB JSON Lines), {cores} cores:"
        f" {run.wall:.1f} s wall, {run.cpu:.1f} CPU seconds"
        f" ({run.cpu / len(records) * 1e6:.0f} µs/record; {run.cpu / cores:.1f} s of wall on"
        f" {cores} idle cores), peak memory {run.peak_mb:.0f} MB; verdicts {summary['overall']}"
        f" (load average {os.getloadavg()[0]:.1f})"
    )
    print(f"  command: python -m oligotrial screen {path.name} --json --as-of {AS_OF}")


def cold_start() -> None:
    example = ROOT / "examples" / "screening" / "eligible-01.json"
    runs = []
    for _ in range(5):
        run = _run_measured([*COMMAND, str(example)])
        if run.done.returncode != 0:
            raise SystemExit(run.done.stderr.decode())
        runs.append(run)
    walls = ", ".join(f"{r.wall:.2f}" for r in runs)
    print(
        f"cold start, one record: median {statistics.median(r.wall for r in runs):.2f} s wall"
        f" (runs: {walls}), median {statistics.median(r.cpu for r in runs):.2f} CPU seconds,"
        f" peak memory {max(r.peak_mb for r in runs):.0f} MB"
    )
    print("  command: python -m oligotrial screen examples/screening/eligible-01.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--engine-sample", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=20250721)
    args = parser.parse_args()
    records = synthetic_records(max(args.patients, args.engine_sample), args.seed)
    engine(records[: args.engine_sample])
    with tempfile.TemporaryDirectory() as folder:
        batch(records[: args.patients], Path(folder))
    cold_start()


if __name__ == "__main__":
    main()
