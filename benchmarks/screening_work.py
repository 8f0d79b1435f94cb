"""Work of the eligibility engine per parsed record, counted so that other load on the
machine does not change it, and compared with another source tree of the product.

Run: ``python benchmarks/screening_work.py --baseline DIR [--records 1000] [--rounds 5]``

``DIR`` is another checkout of the product (e.g. ``git worktree add DIR main``); its
``src`` is put first on ``PYTHONPATH`` for its runs. The work measured is the engine part
of ``benchmarks/screening_batch.py``: validation of a parsed record (a dict from
``json.loads``) as a ``ScreeningRecord`` and ``evaluate`` against the shipped protocol, for
``--records`` seeded synthetic records after 200 records of warm-up.

1. CPU time: both trees in turn, ``--rounds`` times each in fresh processes (interleaved, so
   that both meet the same load); per tree the median over rounds of the CPU seconds per
   record, and of the median wall time per record; the ratio of this tree to the baseline.
2. Instructions (``--instructions``, needs ``valgrind``): instructions executed per record,
   counted by callgrind as the difference between a run that screens ``--records`` records
   and one that makes the same records but screens none (start-up, imports, making the
   records and warm-up cancel out). Exact and independent of load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 200


def child(records: int, seed: int, screened: int) -> None:
    """Make ``records`` records (and the warm-up's), screen the first ``screened`` after the
    warm-up; print CPU and wall time per record."""
    sys.path.insert(0, str(Path(__file__).parent))
    from screening_batch import AS_OF, synthetic_records

    from oligotrial.eligibility import evaluate, record_from_data
    from oligotrial.protocol import load_protocol

    protocol = load_protocol()
    parsed = [json.loads(json.dumps(r)) for r in synthetic_records(WARM_UP + records, seed)]
    for data in parsed[:WARM_UP]:
        evaluate(protocol, record_from_data(data, as_of=AS_OF), checked=True)
    walls = []
    cpu0 = time.process_time()
    for data in parsed[WARM_UP : WARM_UP + screened]:
        t0 = time.perf_counter()
        evaluate(protocol, record_from_data(data, as_of=AS_OF), checked=True)
        walls.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu0
    out = {"cpu_us": cpu / max(screened, 1) * 1e6}
    out["median_us"] = statistics.median(walls) * 1e6 if walls else 0.0
    print(json.dumps(out))


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree / "src"), env.get("PYTHONPATH")]))
    return env


def _command(records: int, seed: int, screened: int) -> list[str]:
    script = str(Path(__file__).resolve())
    return [sys.executable, script, f"--child={records},{screened}", f"--seed={seed}"]


def _timed(tree: Path, records: int, seed: int) -> dict[str, float]:
    done = subprocess.run(
        _command(records, seed, records), env=_env(tree), capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _instructions(tree: Path, records: int, seed: int, screened: int) -> int:
    """Instructions executed by a child run (callgrind's total)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                *_command(records, seed, screened),
            ],
            env=_env(tree),
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", type=Path, help="another source tree of the product")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20250721)
    parser.add_argument("--instructions", action="store_true", help="count with callgrind")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # records,screened
    args = parser.parse_args()
    if args.child is not None:
        records, screened = (int(n) for n in args.child.split(","))
        child(records, args.seed, screened)
        return
    trees = {"this tree": ROOT}
    if args.baseline is not None:
        trees["baseline"] = args.baseline.resolve()
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            runs[name].append(_timed(tree, args.records, args.seed))
    cpu = {name: statistics.median(r["cpu_us"] for r in rs) for name, rs in runs.items()}
    for name, rs in runs.items():
        median = statistics.median(r["median_us"] for r in rs)
        print(
            f"{name}: CPU {cpu[name]:.0f} µs per record (median of {args.rounds} rounds of"
            f" {args.records} records), median wall per record {median:.0f} µs"
        )
    if "baseline" in cpu:
        print(f"CPU time ratio, this tree / baseline: {cpu['this tree'] / cpu['baseline']:.3f}")
    if not args.instructions:
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    per_record = {}
    for name, tree in trees.items():
        full = _instructions(tree, args.records, args.seed, args.records)
        empty = _instructions(tree, args.records, args.seed, 0)
        per_record[name] = (full - empty) / args.records
        print(f"{name}: {per_record[name] / 1e6:.3f} million instructions per record")
    if "baseline" in per_record:
        ratio = per_record["this tree"] / per_record["baseline"]
        print(f"instruction ratio, this tree / baseline: {ratio:.3f}")


if __name__ == "__main__":
    main()
