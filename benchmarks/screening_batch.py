"""Batch screening speed: the column-wise path against a straightforward per-patient loop.

Run: ``python benchmarks/screening_batch.py [--patients 100000] [--loop-sample 5000]``

Records are the shipped examples varied at random (seeded): dates, labs, lesions, history.
Both paths start from the same JSON Lines bytes. The per-patient loop (json.loads, the
pydantic model, the per-patient evaluator, one patient at a time) is timed on a sample of
``--loop-sample`` patients and its per-patient time scaled to the whole batch; the
column-wise path screens the whole batch. Verdicts of the sample are compared.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from oligotrial.eligibility.batch import screen_lines, screen_lines_per_patient
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
    lines = synthetic_lines(args.patients, args.seed)
    megabytes = sum(len(x) + 1 for x in lines) / 1e6
    print(f"{args.patients} patients, {megabytes:.0f} MB of JSON Lines (seed {args.seed})")

    t0 = time.perf_counter()
    fast = screen_lines(protocol, lines, as_of=AS_OF)
    fast_s = time.perf_counter() - t0

    sample = lines[: args.loop_sample]
    t0 = time.perf_counter()
    slow = screen_lines_per_patient(protocol, sample, as_of=AS_OF)
    loop_per_patient = (time.perf_counter() - t0) / len(sample)
    loop_s = loop_per_patient * len(lines)

    same = np.array_equal(fast.status[: len(sample)], slow.status) and np.array_equal(
        fast.overall[: len(sample)], slow.overall
    )
    counts = fast.summary()["overall"]
    print(f"verdicts: {counts}; sample verdicts identical on both paths: {same}")
    print(f"column-wise path      : {fast_s:8.2f} s  ({fast_s / len(lines) * 1e6:7.1f} µs/patient)")
    print(f"per-patient loop      : {loop_s:8.2f} s  ({loop_per_patient * 1e6:7.1f} µs/patient,"
          f" timed on {len(sample)} and scaled)")
    print(f"speed-up              : {loop_s / fast_s:8.1f}x  (JSON text to verdicts)")
    engine(protocol, lines, sample)


def engine(protocol: Any, lines: list[bytes], sample: list[bytes]) -> None:
    """The stages of the column-wise path, and the screening engine alone (facts and rules
    from data already parsed and checked) against the per-patient evaluator."""
    import gc

    from oligotrial.eligibility.batch import _CHUNK, _structs
    from oligotrial.eligibility.column_facts import column_facts
    from oligotrial.eligibility.column_rules import evaluate_columns
    from oligotrial.eligibility.evaluate import evaluate, fact_names
    from oligotrial.eligibility.fast_decode import record_decoder
    from oligotrial.eligibility.reading import record_from_data
    from oligotrial.eligibility.rules_check import derivation_settings
    from oligotrial.eligibility.struct_columns import struct_columns

    settings, names = derivation_settings(protocol), fact_names(protocol)
    decode_s = check_s = column_s = 0.0
    gc.disable()
    for start in range(0, len(lines), _CHUNK):
        chunk = lines[start : start + _CHUNK]
        t0 = time.perf_counter()
        structs, odd = _structs(chunk, record_decoder().decode)
        t1 = time.perf_counter()
        columns = struct_columns(structs, odd, AS_OF)
        t2 = time.perf_counter()
        facts = column_facts(columns, settings, names)
        evaluate_columns(protocol, facts, len(chunk))
        t3 = time.perf_counter()
        decode_s, check_s, column_s = decode_s + t1 - t0, check_s + t2 - t1, column_s + t3 - t2
    gc.enable()
    models = [record_from_data(json.loads(line), as_of=AS_OF) for line in sample]
    t0 = time.perf_counter()
    for model in models:
        evaluate(protocol, model, checked=True)
    per_patient = (time.perf_counter() - t0) / len(models)
    n = len(lines)
    print(f"decode (msgspec)      : {decode_s / n * 1e6:7.2f} µs/patient")
    print(f"check, columns        : {check_s / n * 1e6:7.2f} µs/patient")
    print(f"engine, column-wise   : {column_s / n * 1e6:7.2f} µs/patient (facts + rules)")
    print(f"engine, per patient   : {per_patient * 1e6:7.1f} µs/patient (evaluate() on a model)")
    print(f"engine speed-up       : {per_patient / (column_s / n):8.1f}x")


if __name__ == "__main__":
    main()
