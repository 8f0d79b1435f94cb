"""Randomization latency under many concurrent processes on PostgreSQL (p50, p99).

    python benchmarks/randomization_concurrency.py                  # 64 processes x 4 patients
    python benchmarks/randomization_concurrency.py --workers 64 --per-worker 8 --repeat 3

Each worker is a forked process with its own connection (opened before the start line);
all start together and call ``services.randomize`` for their patients one after another.
The latency of every call is measured in the worker; the run then checks that no slot was
given twice, that the audit chain verifies and that the tables reconcile with the trail.
A control run then makes the same processes read the allocations (``allocation_of``: no
lock, no write): its latency is what the machine's cores alone cost for that many processes.
The patients (eligible, consented, audited) are created through the services beforehand.
PostgreSQL: OLIGOTRIAL_BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
names a server where a scratch database may be created and dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

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


def _verdicts() -> list[dict[str, str]]:
    from oligotrial.edc.trial_config import current_protocol

    return [
        {"id": c.id, "kind": c.kind, "status": "met" if c.kind == "inclusion" else "not_met"}
        for c in current_protocol().criteria
    ]


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
    day = dt.date.today() - dt.timedelta(days=3)
    verdicts = _verdicts()
    jobs = []
    for i in range(n):
        code = SITES[i % len(SITES)]
        number = f"P{i:05d}"
        services.screen(
            coords[code],
            number,
            screened_on=day,
            verdicts=verdicts,
            stratification={
                "oligoprogression_site": OLIGO[i // 4 % 2],
                "flst_ici": ICI[i // 8 % 2],
            },
            birth_date="1960-01-01",
        )
        services.record_consent(coords[code], number, version="1.0", signed_on=day)
        jobs.append((coords[code], number))
    return jobs


def _run(
    jobs: list[tuple[Any, str]], workers: int, read_only: bool = False
) -> tuple[list[float], float, list[str]]:
    import multiprocessing as mp

    from django.db import connection, connections

    from oligotrial.edc import services

    ctx = mp.get_context("fork")
    queue: Any = ctx.Queue()
    barrier: Any = ctx.Barrier(workers + 1)
    today = dt.date.today()

    def work(items: list[tuple[Any, str]]) -> None:
        times: list[float] = []
        try:
            connection.ensure_connection()
            barrier.wait()
            for actor, number in items:
                started = time.perf_counter()
                if read_only:
                    services.allocation_of(actor, number)
                else:
                    services.randomize(actor, number, randomized_on=today)
                times.append(time.perf_counter() - started)
            queue.put(("ok", times))
        except BaseException as exc:
            queue.put(("error", repr(exc)))
        finally:
            connections.close_all()

    connections.close_all()  # never share a connection across fork
    procs = [ctx.Process(target=work, args=(jobs[w::workers],)) for w in range(workers)]
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    latencies: list[float] = []
    errors: list[str] = []
    for _ in procs:
        kind, payload = queue.get(timeout=900)
        if kind == "ok":
            latencies.extend(payload)
        else:
            errors.append(payload)
    wall = time.perf_counter() - started
    for p in procs:
        p.join(timeout=60)
    return latencies, wall, errors


def _percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values), q))


def bench(workers: int, per_worker: int, repeat: int) -> None:
    import psycopg

    from oligotrial.edc.settings import configure

    name, url = _scratch()
    audit_dir = tempfile.mkdtemp(prefix="oligotrial-bench-audit-")
    configure(database_url=url, environ={"OLIGOTRIAL_AUDIT_DIR": audit_dir})
    from django.db import connections

    from oligotrial.edc.audit_reconcile import reconcile
    from oligotrial.edc.audit_verify import verify_chain
    from oligotrial.edc.models import Allocation

    try:
        n = workers * per_worker
        jobs = _trial(n * repeat)
        print(f"PostgreSQL, {workers} processes x {per_worker} randomizations, {repeat} run(s)")
        for r in range(repeat + 1):
            read_only = r == repeat
            part = jobs[:n] if read_only else jobs[r * n : (r + 1) * n]
            latencies, wall, errors = _run(part, workers, read_only)
            ms = [1000 * x for x in latencies]
            label = "control (read only)" if read_only else f"run {r + 1}"
            print(
                f"  {label}: {len(ms)} calls in {wall:.2f} s ({len(ms) / wall:.0f}/s); "
                f"p50 {_percentile(ms, 50):.0f} ms, p90 {_percentile(ms, 90):.0f} ms, "
                f"p99 {_percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms; errors {len(errors)}"
            )
            for e in errors[:3]:
                print("    error:", e)
        slots = list(Allocation.objects.values_list("slot_id", flat=True))
        chain, rec = verify_chain(), reconcile()
        print(
            f"  allocations {len(slots)}, slots given twice {len(slots) - len(set(slots))}; "
            f"audit chain ok={chain.ok} ({chain.entries} entries); reconcile ok={rec.ok}"
        )
    finally:
        connections.close_all()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--per-worker", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    bench(args.workers, args.per_worker, args.repeat)


if __name__ == "__main__":
    main()
