"""Batch screening speed: the column-wise path against a straightforward per-patient loop.

Run: ``python benchmarks/screening_batch.py [--patients 100000] [--loop-sample 5000]``

Records are the shipped examples varied at random (seeded): dates, labs, lesions, history.
Both paths start from the same JSON Lines bytes (a file's content, in memory). The
per-patient loop (split the lines; per line json.loads, the pydantic model, the
per-patient evaluator) is timed on a sample of ``--loop-sample`` patients and its
per-patient time scaled to the whole batch; the column-wise path (:func:`screen_jsonl`)
screens the whole batch, with its default number of processes (one per core for a
large batch) and with one. Verdicts of the sample are compared.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from oligotrial.eligibility.batch import screen_jsonl, screen_lines_per_patient
from oligotrial.eligibility.json_batch import default_workers
from oligotrial.protocol import load_protocol

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 1, 1)


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


def synthetic_lines(n: int, seed: int) -> list[bytes]:
    """``n`` varied records as JSON lines (seeded)."""
    rng = np.random.default_rng(seed)
    folder = ROOT / "examples" / "screening"
    bases = [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]
    lines = []
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
            lesion["progressing"] = bool(rng.random() < 0.85)
        r["ecog"] = int(rng.choice([0, 0, 1, 1, 2]))
        lines.append(json.dumps(r, ensure_ascii=False).encode())
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--loop-sample", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20250721)
    args = parser.parse_args()
    protocol = load_protocol()
    data = b"\n".join(synthetic_lines(args.patients, args.seed)) + b"\n"
    print(
        f"{args.patients} patients, {len(data) / 1e6:.0f} MB of JSON Lines (seed {args.seed}),"
        f" {default_workers(args.patients)} processes by default on {os.cpu_count()} cores"
    )
    screen_jsonl(protocol, data[: data.index(b"\n") + 1], as_of=AS_OF)  # compiled code loaded

    timings = {}
    for label, workers in (("column-wise, default", None), ("column-wise, 1 process", 1)):
        t0 = time.perf_counter()
        fast = screen_jsonl(protocol, data, as_of=AS_OF, workers=workers)
        timings[label] = time.perf_counter() - t0

    t0 = time.perf_counter()
    sample = data.split(b"\n", args.loop_sample)[: args.loop_sample]  # only the sample's lines
    slow = screen_lines_per_patient(protocol, sample, as_of=AS_OF)
    loop_per_patient = (time.perf_counter() - t0) / len(sample)
    loop_s = loop_per_patient * args.patients

    same = np.array_equal(fast.status[: len(sample)], slow.status) and np.array_equal(
        fast.overall[: len(sample)], slow.overall
    )
    print(f"verdicts: {fast.summary()['overall']}; sample verdicts identical: {same}")
    print(
        f"per-patient loop       : {loop_s:7.2f} s  ({loop_per_patient * 1e6:6.1f} µs/patient,"
        f" timed on {len(sample)} and scaled)"
    )
    for label, seconds in timings.items():
        per = seconds / args.patients * 1e6
        print(
            f"{label:23}: {seconds:7.2f} s  ({per:6.1f} µs/patient)"
            f"  speed-up {loop_s / seconds:5.1f}x"
        )


if __name__ == "__main__":
    main()
