"""Pre-screening a hospital's Bulk FHIR export: N patients, wall time and peak memory, beside
a fhir.resources-only parse of a sample measured in the same run.

    python benchmarks/fhir_prescreen.py                      # 100,000 patients (~3.5 M resources)
    python benchmarks/fhir_prescreen.py --patients 20000 --sample 5000
    python benchmarks/fhir_prescreen.py --patients 20000 --workers 2   # and over Dask

The synthetic export (:func:`oligotrial.synth.hospital_export.write_hospital_export`, seed
``--seed``) is written to a scratch directory first (not timed). ``oligotrial prescreen``
then runs on it as its own process, started from this small process (the export is written
by another one), so its wall time, CPU time and peak resident memory (the child's own
``ru_maxrss``, from ``os.wait4``) are the command's alone: msgspec decode of every line,
fhir.resources validation of the imported resources, the eligibility engine on the HCC
population, CSV/HTML written. Then ``--sample`` Observation lines are parsed with
fhir.resources alone (``Observation.model_validate_json``) and with the bulk path's msgspec
structs, and the fhir.resources time is extrapolated to every resource of the export.
Goal: < 60 s and < 4 GB on 2 cores for 100,000 patients. With ``--workers N`` the same
command then runs again with ``--scheduler`` on a ``LocalCluster`` of N single-threaded
worker processes started by the measured process (wall time; peak memory of the largest
process), and its files are checked to be the plain run's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DAY = dt.date(2026, 6, 1)
_WRITE = f"""
import json, sys, datetime as dt
from pathlib import Path
import numpy as np
from oligotrial.synth.hospital_export import write_hospital_export
export = write_hospital_export(Path(sys.argv[1]), int(sys.argv[2]),
    np.random.default_rng(int(sys.argv[3])), screening_date=dt.date.fromisoformat("{DAY}"))
print(json.dumps(export.counts))
"""


_CLUSTER = """
import sys, datetime as dt
from pathlib import Path
from distributed import LocalCluster
from oligotrial.cli.prescreen import run
with LocalCluster(n_workers=int(sys.argv[3]), threads_per_worker=1) as cluster:
    run(Path(sys.argv[1]), Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[4]), None,
        cluster.scheduler_address)
"""


def _measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall s, CPU s and peak RSS MB of ``command`` run as its own process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"prescreen failed: {child.stderr.read().decode() if child.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def _sample(directory: Path, n: int) -> list[bytes]:
    lines = []
    with (directory / "Observation.ndjson").open("rb") as fh:
        for line in fh:
            lines.append(line)
            if len(lines) == n:
                break
    return lines


def _parse_times(lines: list[bytes]) -> tuple[float, float]:
    import msgspec
    from fhir.resources.R4B.observation import Observation

    from oligotrial.interop.fhir import bulk_types

    start = time.perf_counter()
    for line in lines:
        Observation.model_validate_json(line)
    fhir_resources = (time.perf_counter() - start) / len(lines)
    decode = msgspec.json.Decoder(bulk_types.Resource).decode
    start = time.perf_counter()
    for line in lines:
        decode(line)
    return fhir_resources, (time.perf_counter() - start) / len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--workers", type=int, default=0, help="also over a LocalCluster")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fhir-bench-") as scratch:
        bulk, out = Path(scratch) / "bulk", Path(scratch) / "out"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        start = time.perf_counter()
        made = subprocess.run(
            [sys.executable, "-c", _WRITE, str(bulk), str(args.patients), str(args.seed)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        written = time.perf_counter() - start
        counts = json.loads(made.stdout)
        resources = sum(counts.values())
        size = sum(f.stat().st_size for f in bulk.glob("*.ndjson"))
        command = [sys.executable, "-m", "oligotrial", "prescreen", str(bulk)]
        command += ["--out", str(out), "--as-of", DAY.isoformat()]
        wall, cpu, peak_mb = _measure(command, env)
        cluster: dict[str, object] = {}
        if args.workers:
            spread = Path(scratch) / "spread"
            c_wall, c_cpu, c_peak = _measure(
                [
                    sys.executable,
                    "-c",
                    _CLUSTER,
                    str(bulk),
                    str(spread),
                    str(args.workers),
                    DAY.isoformat(),
                ],
                env,
            )
            cluster = {
                "cluster_workers": args.workers,
                "cluster_wall_s": round(c_wall, 2),
                "cluster_cpu_s_with_waited_workers": round(c_cpu, 2),
                "cluster_peak_rss_mb_largest_process": round(c_peak),
                "cluster_files_equal_plain": _files(spread) == _files(out),
            }
        summary = json.loads((out / "summary.json").read_text())
        per_fhir, per_msgspec = _parse_times(_sample(bulk, args.sample))
    report = {
        "patients": args.patients,
        "resources": resources,
        "export_mb": round(size / 1e6, 1),
        "export_written_s": round(written, 1),
        "hcc_population": summary["hcc_population"],
        "candidates": summary["candidates"],
        "prescreen_wall_s": round(wall, 2),
        "prescreen_cpu_s": round(cpu, 2),
        "prescreen_peak_rss_mb": round(peak_mb),
        "sample_lines": args.sample,
        "fhir_resources_us_per_resource": round(per_fhir * 1e6, 1),
        "msgspec_us_per_resource": round(per_msgspec * 1e6, 2),
        "fhir_resources_only_parse_of_all_s": round(per_fhir * resources, 1),
        "cpus": os.cpu_count(),
        **cluster,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
