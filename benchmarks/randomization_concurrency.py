"""Randomization latency under 64 concurrent processes on PostgreSQL (p50, p95, p99).

    python benchmarks/randomization_concurrency.py                     # this tree
    python benchmarks/randomization_concurrency.py --baseline-src OTHER/src --rounds 2

Two modes, each with 64 forked processes, each process with its own connection:

- steady: randomizations arrive at a fixed rate (default 10 per second, far more than 132
  patients at a few sites could ever produce), each from the next process in turn;
- burst: all processes randomize at the same moment (a barrier), several times over.

The latency of every call is measured in the worker. Before the runs one randomization is
made alone and its SQL statements counted (BEGIN and COMMIT included). Afterwards the run
checks that no slot was given twice, that the audit chain verifies and that the tables
reconcile with the trail. With ``--baseline-src`` the same script runs the code of another
source tree (e.g. an export of main) in alternation with this one, in the same session, and
prints the ratios: the machine may be shared, so only same-run comparisons mean anything.
The patients (eligible, consented, audited) are created through the services beforehand.
PostgreSQL: OLIGOTRIAL_BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
names a server where a scratch database may be created and dropped.
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
import uuid
from pathlib import Path
from typing import Any


def _source_tree() -> str:
    """``--src DIR`` (the code to measure) is read before anything is imported."""
    if "--src" in sys.argv:
        return sys.argv[sys.argv.index("--src") + 1]
    return str(Path(__file__).resolve().parents[1] / "src")


sys.path.insert(0, _source_tree())
PG_URL = os.environ.get("OLIGOTRIAL_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SITES = ("S01", "S02", "S03", "S04")
OLIGO = ("intrahepatic-only", "any-extrahepatic")
ICI = ("ici", "no-ici")


def _scratch() -> tuple[str, str]:
    import psycopg

    name = f"oligotrial_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, PG_URL.rsplit("/", 1)[0] + "/" + name


def _record(number: str, oligo: str, ici: str, day: dt.date) -> dict[str, Any]:
    """The shipped eligible example, as patient ``number`` screened on ``day`` in one stratum."""
    example = Path(__file__).resolve().parents[1] / "examples" / "screening" / "eligible-01.json"
    data = json.loads(example.read_text())
    record: dict[str, Any] = data.get("record", data)
    record["patient_id"] = number
    record["screening_date"] = day.isoformat()
    record["birth_date"] = "1960-05-01"
    record["flst"]["contains_ici"] = ici == "ici"
    if oligo == "intrahepatic-only":
        lesions = record["oligoprogression"]["lesions"]
        record["oligoprogression"]["lesions"] = [x for x in lesions if x["organ"] == "liver"]
    return record


def _trial(n: int) -> list[tuple[Any, str]]:
    """Sites, staff, the list, and ``n`` patients screened and consented through the services."""
    from django.core.management import call_command

    from oligotrial.edc import services

    call_command("migrate", verbosity=0)
    admin = services.bootstrap_admin("admin")
    coords = {}
    for code in SITES:
        services.add_site(admin, code, f"Hospital {code}")
        coords[code] = services.add_staff(admin, f"coord-{code}", "coordinator", code)
    stat = services.add_staff(admin, "stat", "statistician")
    services.generate_allocation_list(stat, seed=1, slots_per_stratum=n // 4 + 16)
    day = dt.date.today() - dt.timedelta(days=10)
    jobs = []
    for i in range(n):
        code = SITES[i % len(SITES)]
        number = f"P{i:05d}"
        screening = services.screen(
            coords[code], _record(number, OLIGO[i // 4 % 2], ICI[i // 8 % 2], day)
        )
        if not screening.eligible:
            raise SystemExit(f"the example record is no longer eligible: {screening.verdicts}")
        services.record_consent(coords[code], number, version="1.0", signed_on=day)
        jobs.append((coords[code], number))
    return jobs


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` of this machine has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(
    jobs: list[tuple[Any, str]], workers: int, rate: float | None
) -> tuple[list[float], float, list[str], tuple[float, float]]:
    """Randomize ``jobs``: at ``rate`` per second in turn, or in bursts (``rate`` None) of
    one call per process, all processes starting each burst together. Also returns the CPU
    seconds the calls used in the processes and in their database server processes."""
    import multiprocessing as mp

    from django.db import connection, connections

    from oligotrial.edc import services

    ctx = mp.get_context("fork")
    queue: Any = ctx.Queue()
    start_line: Any = ctx.Barrier(workers + 1)
    burst_line: Any = ctx.Barrier(workers)
    today = dt.date.today()

    def work(w: int, items: list[tuple[Any, str]], t0: Any) -> None:
        times: list[float] = []
        try:
            connection.ensure_connection()
            backend = connection.connection.info.backend_pid
            if items:  # warm the process (imports, caches) with a read that locks nothing
                services.allocation_of(items[0][0], items[0][1])
            start_line.wait()
            cpu, db_cpu = time.process_time(), _cpu_of(backend)
            origin = t0.value
            for k, (actor, number) in enumerate(items):
                if rate is None:
                    burst_line.wait()
                else:
                    delay = origin + (k * workers + w) / rate - time.time()
                    if delay > 0:
                        time.sleep(delay)
                started = time.perf_counter()
                services.randomize(actor, number, randomized_on=today)
                times.append(time.perf_counter() - started)
            cpu, db_cpu = time.process_time() - cpu, _cpu_of(backend) - db_cpu
            queue.put(("ok", (times, cpu, db_cpu)))
        except BaseException as exc:
            queue.put(("error", repr(exc)))
        finally:
            connections.close_all()

    connections.close_all()  # never share a connection across fork
    t0: Any = ctx.Value("d", 0.0)
    procs = [ctx.Process(target=work, args=(w, jobs[w::workers], t0)) for w in range(workers)]
    for p in procs:
        p.start()
    t0.value = time.time() + 0.5
    start_line.wait()
    started = time.perf_counter()
    latencies: list[float] = []
    errors: list[str] = []
    cpu = [0.0, 0.0]
    for _ in procs:
        kind, payload = queue.get(timeout=900)
        if kind == "ok":
            latencies.extend(payload[0])
            cpu[0] += payload[1]
            cpu[1] += payload[2]
        else:
            errors.append(payload)
    wall = time.perf_counter() - started
    for p in procs:
        p.join(timeout=60)
    return latencies, wall, errors, (cpu[0], cpu[1])


def _percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def _statements(job: tuple[Any, str]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oligotrial.edc import services

    with CaptureQueriesContext(connection) as queries:
        services.randomize(job[0], job[1], randomized_on=dt.date.today())
    return len(queries.captured_queries)


def bench(workers: int, steady_calls: int, bursts: int, rate: float) -> dict[str, Any]:
    """One whole measurement in a scratch database: statements, steady, burst, checks."""
    import psycopg

    from oligotrial.edc.settings import configure

    name, url = _scratch()
    audit_dir = tempfile.mkdtemp(prefix="oligotrial-bench-audit-")
    configure(database_url=url, environ={"OLIGOTRIAL_AUDIT_DIR": audit_dir})
    from django.db import connections

    from oligotrial.edc.audit_reconcile import reconcile
    from oligotrial.edc.audit_verify import verify_chain
    from oligotrial.edc.models import Allocation

    out: dict[str, Any] = {"workers": workers}
    try:
        steady_n, burst_n = workers * steady_calls, workers * bursts
        jobs = _trial(1 + steady_n + burst_n)
        out["statements"] = _statements(jobs[0])
        for mode, part, mode_rate in (
            ("steady", jobs[1 : 1 + steady_n], rate),
            ("burst", jobs[1 + steady_n :], None),
        ):
            latencies, wall, errors, (cpu, db_cpu) = _run(part, workers, mode_rate)
            ms = [1000 * x for x in latencies]
            out[mode] = {
                "calls": len(ms),
                "cpu_ms": 1000 * cpu / max(len(ms), 1),
                "db_cpu_ms": 1000 * db_cpu / max(len(ms), 1),
                "wall_s": wall,
                "p50": _percentile(ms, 50),
                "p95": _percentile(ms, 95),
                "p99": _percentile(ms, 99),
                "max": max(ms, default=float("nan")),
                "errors": errors[:3],
            }
        slots = list(Allocation.objects.values_list("slot_id", flat=True))
        chain, rec = verify_chain(), reconcile()
        out["allocations"] = len(slots)
        out["slots_twice"] = len(slots) - len(set(slots))
        out["chain_ok"], out["reconcile_ok"] = chain.ok, rec.ok
    finally:
        connections.close_all()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return out


def _print(label: str, r: dict[str, Any]) -> None:
    print(
        f"{label}: {r['statements']} statements per randomization; "
        f"allocations {r['allocations']}, slots given twice {r['slots_twice']}, "
        f"chain ok={r['chain_ok']}, reconcile ok={r['reconcile_ok']}"
    )
    for mode in ("steady", "burst"):
        m = r[mode]
        print(
            f"  {mode:6s} {m['calls']:4d} calls in {m['wall_s']:5.1f} s: p50 {m['p50']:6.0f} ms, "
            f"p95 {m['p95']:6.0f} ms, p99 {m['p99']:6.0f} ms, max {m['max']:6.0f} ms; "
            f"errors {len(m['errors'])} {m['errors'][:1]}"
        )
        cores = os.cpu_count() or 1
        floor = r["workers"] * (m["cpu_ms"] + m["db_cpu_ms"]) / cores
        print(
            f"         CPU a call: process {m['cpu_ms']:.1f} ms + database {m['db_cpu_ms']:.1f} ms"
            + (
                f"; {r['workers']} calls at once on {cores} cores cannot all end "
                f"before {floor:.0f} ms"
                if mode == "burst"
                else ""
            )
        )


def _child(src: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--src", src, "--json"]
    cmd += ["--workers", str(args.workers), "--steady-calls", str(args.steady_calls)]
    cmd += ["--bursts", str(args.bursts), "--rate", str(args.rate)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def compare(args: argparse.Namespace) -> None:
    """This tree and ``--baseline-src`` in alternation, ``--rounds`` times; ratios per round."""
    this = str(Path(__file__).resolve().parents[1] / "src")
    print(
        f"PostgreSQL, {args.workers} processes; steady {args.rate:g}/s "
        f"({args.workers * args.steady_calls} calls), burst {args.bursts} x {args.workers}; "
        f"load average before {os.getloadavg()[0]:.1f}"
    )
    for r in range(args.rounds):
        base = _child(args.baseline_src, args)
        ours = _child(this, args)
        _print(f"round {r + 1} baseline", base)
        _print(f"round {r + 1} this tree", ours)
        ratios = ", ".join(
            f"{mode} p{q} {ours[mode][f'p{q}'] / base[mode][f'p{q}']:.2f}"
            for mode in ("steady", "burst")
            for q in (50, 95, 99)
        )
        print(
            f"round {r + 1} this/baseline: statements {ours['statements']}/{base['statements']}; "
            f"{ratios}; load average {os.getloadavg()[0]:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--rate", type=float, default=10.0, help="steady arrivals per second")
    parser.add_argument("--steady-calls", type=int, default=2, help="per process, steady mode")
    parser.add_argument("--bursts", type=int, default=3, help="bursts of one call per process")
    parser.add_argument("--src", help="the source tree to measure (default: this one)")
    parser.add_argument("--baseline-src", help="measure this tree against another, in turn")
    parser.add_argument("--rounds", type=int, default=2, help="alternations with the baseline")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    if args.baseline_src:
        compare(args)
        return
    load = os.getloadavg()[0]
    result = bench(args.workers, args.steady_calls, args.bursts, args.rate)
    if args.json:
        print(json.dumps(result))
    else:
        _print("this tree", result)
        print(f"load average before {load:.1f}, after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
