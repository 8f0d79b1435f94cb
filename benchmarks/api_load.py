"""The API under load: 64 concurrent clients randomizing through ``oligotrial serve`` on
PostgreSQL, over loopback (p50, p99, errors; allocations checked afterwards).

    python benchmarks/api_load.py                                  # 64 clients x 4 patients
    python benchmarks/api_load.py --clients 64 --per-client 8 --duplicates 16 --threads 16
    python benchmarks/api_load.py --workers 2 --threads 8          # two server processes

A scratch PostgreSQL database is created (OLIGOTRIAL_BENCH_PG_URL, default
postgresql://postgres@127.0.0.1:5432/postgres, names a server where one may be created and
dropped) and filled through the services: four sites, a coordinator and an API token each,
the allocation list, and the patients screened (the shipped eligible example record) and
consented. ``oligotrial serve`` (waitress, ``--threads`` worker threads) is then started on
it as its own process, and the clients (one HTTP connection each, asyncio + httpx) all start
together, each randomizing its patients one after another with ``POST
/api/patients/{n}/randomization``; ``--duplicates`` patients are also asked for by a second
client at the same moment. The latency of each request is measured in the client (request
sent to answer read). Afterwards: every patient randomized exactly once, randomization
numbers R0001..RN with none doubled or skipped, no slot given twice, both answers of a
duplicated request naming the same allocation, the audit chain verified. Visit data entry
and crash safety (the server killed mid-load) are measured by ``api_visit_load.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PG_URL = os.environ.get("OLIGOTRIAL_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SITES = ("S01", "S02", "S03", "S04")
RECORD = ROOT / "examples" / "screening" / "eligible-01.json"
#: patients randomized first by one client alone (the latency without concurrency)
BASELINE = 16


def _scratch() -> tuple[str, str]:
    import psycopg

    name = f"oligotrial_apiload_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, PG_URL.rsplit("/", 1)[0] + "/" + name


def _trial(n: int) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Sites, coordinators with tokens, the list, and ``n`` screened, consented patients;
    returns (site -> token, [(site, screening number)])."""
    from django.core.management import call_command

    from oligotrial.edc import services
    from oligotrial.edc.services.tokens import create_token

    call_command("migrate", verbosity=0)
    admin = services.bootstrap_admin("admin")
    coords = {}
    for code in SITES:
        services.add_site(admin, code, f"Hospital {code}", language="en")
        coords[code] = services.add_staff(admin, f"coord-{code}", "coordinator", code)
    stat = services.add_staff(admin, "stat", "statistician")
    services.generate_allocation_list(stat, seed=7, slots_per_stratum=n // len(SITES) + 16)
    record = json.loads(RECORD.read_text())
    patients = []
    for i in range(n):
        code = SITES[i % len(SITES)]
        number = f"{code}-{i:05d}"
        services.screen(coords[code], {**record, "patient_id": number})
        services.record_consent(
            coords[code], number, version="1.0", signed_on=record["consent"]["date"]
        )
        patients.append((code, number))
    tokens = {code: create_token(f"coord-{code}", days=1, name="load").secret for code in SITES}
    return tokens, patients


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(
    url: str, audit_dir: str, port: int, threads: int, folder: str, workers: int = 1
) -> subprocess.Popen[str]:
    """Start ``oligotrial serve`` and wait until it accepts connections; its messages go to
    ``serve.log`` in ``folder`` (appended: a restarted server adds to it)."""
    log_path = Path(folder) / "serve.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "OLIGOTRIAL_DATABASE_URL": url,
        "OLIGOTRIAL_AUDIT_DIR": audit_dir,
        "OLIGOTRIAL_SECRET_KEY": secrets.token_urlsafe(40),
        "OLIGOTRIAL_API_RATE": "1000000/m",
    }
    command = ["serve", "--port", str(port), "--threads", str(threads), "--data-dir", folder]
    command += ["--workers", str(workers)]
    with log_path.open("a") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "oligotrial", *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                tail = log_path.read_text()[-2000:]
                raise SystemExit(f"the server stopped: {tail}") from None
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer within 120 s")


async def _client(
    base: str,
    jobs: list[tuple[str, str]],
    tokens: dict[str, str],
    day: str,
    start: asyncio.Event,
    out: list[tuple[str, float, int, dict[str, Any]]],
    read_only: bool,
    ready: list[int],
) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        await http.get("/api/openapi.json")  # the connection is open before the start
        ready[0] += 1
        await start.wait()
        for site, number in jobs:
            path = f"/api/patients/{number}/randomization"
            headers = {"Authorization": f"Bearer {tokens[site]}"}
            began = time.perf_counter()
            if read_only:
                response = await http.get(path, headers=headers)
            else:
                response = await http.post(path, json={"randomized_on": day}, headers=headers)
            elapsed = time.perf_counter() - began
            out.append((number, elapsed, response.status_code, response.json()))


async def _load(
    base: str,
    plan: list[list[tuple[str, str]]],
    tokens: dict[str, str],
    day: str,
    read_only: bool = False,
    cpu: Callable[[], tuple[float, float]] | None = None,
) -> tuple[list[tuple[str, float, int, dict[str, Any]]], float, tuple[float, float]]:
    """The clients' requests: what they got, the wall time from the start (every client
    connected and answered first) to the last answer, and the CPU seconds ``cpu`` counts over
    that same span (zeros without it)."""
    start = asyncio.Event()
    out: list[tuple[str, float, int, dict[str, Any]]] = []
    ready = [0]
    tasks = [
        asyncio.create_task(_client(base, jobs, tokens, day, start, out, read_only, ready))
        for jobs in plan
    ]
    while ready[0] < len(plan):  # every client connected and answered before the start
        await asyncio.sleep(0.05)
    before = cpu() if cpu else (0.0, 0.0)
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - began
    after = cpu() if cpu else (0.0, 0.0)
    return out, wall, (after[0] - before[0], after[1] - before[1])


def _cpu_seconds(server_pid: int, database: str) -> tuple[float, float]:
    """CPU seconds (user + system) used so far by the server (its process and worker
    processes) and by the database server's processes serving ``database``."""
    import psutil

    def used(process: psutil.Process) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:  # ended meanwhile
            return 0.0
        return float(times.user + times.system)

    server = psutil.Process(server_pid)
    python = used(server) + sum(used(child) for child in server.children(recursive=True))
    backends = 0.0
    for process in psutil.process_iter(["name", "cmdline"]):
        if f" {database} " in " ".join(process.info["cmdline"] or []):
            backends += used(process)
    return python, backends


def _cost(used: tuple[float, float], n: int, clients: int) -> str:
    """CPU per request, and the mean latency that ``clients`` requests kept in flight cannot
    go below on this machine's cores (Little's law: clients / throughput, where throughput is
    at most cores / CPU per request)."""
    python, database = (seconds / n for seconds in used)
    cores = os.cpu_count() or 1
    floor = clients * (python + database) / cores
    return (
        f"CPU a request: server {1000 * python:.1f} ms + database {1000 * database:.1f} ms; "
        f"with {clients} requests in flight on {cores} cores the mean latency cannot be below "
        f"{1000 * floor:.0f} ms"
    )


def _percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values), q))


def _plan(
    patients: list[tuple[str, str]], clients: int, duplicates: int
) -> list[list[tuple[str, str]]]:
    """Each client's patients; the first ``duplicates`` patients are asked for again, in the
    same position, by the next client."""
    plan = [patients[c::clients] for c in range(clients)]
    for i in range(duplicates):
        owner = i % clients
        position = i // clients
        neighbour = plan[(owner + 1) % clients]
        neighbour.insert(min(position, len(neighbour)), plan[owner][position])
    return plan


def _check(results: list[tuple[str, float, int, dict[str, Any]]], n: int) -> list[str]:
    from oligotrial.edc.audit_verify import verify_chain
    from oligotrial.edc.models import Allocation

    problems = []
    numbers = list(Allocation.objects.values_list("randomization_number", flat=True))
    expected = {f"R{i:04d}" for i in range(1, n + 1)}
    if len(numbers) != n or set(numbers) != expected:
        problems.append(f"{len(numbers)} allocations; numbers doubled or skipped")
    slots = list(Allocation.objects.values_list("slot_id", flat=True))
    if len(set(slots)) != len(slots):
        problems.append("a slot was given twice")
    answers: dict[str, set[str]] = {}
    for number, _, status, body in results:
        if status in (200, 201):
            answers.setdefault(number, set()).add(body["randomization_number"])
    if any(len(v) != 1 for v in answers.values()):
        problems.append("two answers for one patient named different allocations")
    chain = verify_chain()
    if not chain.ok:
        problems.append(f"the audit chain does not verify: {chain}")
    return problems


def bench(clients: int, per_client: int, duplicates: int, threads: int, workers: int) -> None:
    import psycopg

    from oligotrial.edc.settings import configure

    name, url = _scratch()
    audit_dir = tempfile.mkdtemp(prefix="oligotrial-apiload-audit-")
    folder = tempfile.mkdtemp(prefix="oligotrial-apiload-")
    configure(database_url=url, environ={"OLIGOTRIAL_AUDIT_DIR": audit_dir})
    from django.db import connections

    server = None
    try:
        n = clients * per_client
        began = time.perf_counter()
        tokens, patients = _trial(n + BASELINE)
        setup_s = time.perf_counter() - began
        print(f"set-up: {n + BASELINE} patients screened and consented in {setup_s:.1f} s")
        print(f"load average before the run {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        connections.close_all()
        port = _free_port()
        server = _serve(url, audit_dir, port, threads, folder, workers)
        base = f"http://127.0.0.1:{port}"
        day = dt.date.today().isoformat()
        alone, _, _ = asyncio.run(_load(base, [patients[:BASELINE]], tokens, day))
        counted = functools.partial(_cpu_seconds, server.pid, name)
        alone_ms = [1000 * r[1] for r in alone]
        print(
            f"baseline, one client alone: {len(alone)} randomizations, "
            f"p50 {_percentile(alone_ms, 50):.0f} ms, max {max(alone_ms):.0f} ms"
        )
        plan = _plan(patients[BASELINE:], clients, duplicates)
        results, wall, used = asyncio.run(_load(base, plan, tokens, day, cpu=counted))
        ms = [1000 * r[1] for r in results]
        errors = [r for r in results if r[2] not in (200, 201)]
        repeats = sum(1 for r in results if r[2] == 200 and r[3].get("already_randomized"))
        print(
            f"PostgreSQL, oligotrial serve ({workers} process(es) x {threads} threads), "
            f"{clients} clients, "
            f"{len(results)} randomization requests ({duplicates} patients asked for twice) "
            f"in {wall:.2f} s ({len(results) / wall:.0f}/s)"
        )
        print(
            f"  latency p50 {_percentile(ms, 50):.0f} ms, p90 {_percentile(ms, 90):.0f} ms, "
            f"p99 {_percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms; errors {len(errors)}; "
            f"answered as already randomized {repeats}"
        )
        print("  " + _cost(used, len(results), clients))
        for e in errors[:3]:
            print("    error:", e[0], e[2], e[3])
        total = n + BASELINE
        problems = _check(results + alone, total)
        verdict = f"every patient once, R0001..R{total:04d}, no slot twice, audit chain verified"
        print("  allocations: " + ("; ".join(problems) if problems else verdict))
        reads, read_wall, read_used = asyncio.run(
            _load(base, plan, tokens, day, read_only=True, cpu=counted)
        )
        read_ms = [1000 * r[1] for r in reads]
        print(
            f"  control, the same clients reading the allocations (no lock, no write): "
            f"{len(reads)} requests in {read_wall:.2f} s ({len(reads) / read_wall:.0f}/s); "
            f"p50 {_percentile(read_ms, 50):.0f} ms, p99 {_percentile(read_ms, 99):.0f} ms"
        )
        print("  " + _cost(read_used, len(reads), clients))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connections.close_all()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--per-client", type=int, default=4)
    parser.add_argument("--duplicates", type=int, default=16)
    parser.add_argument("--threads", type=int, default=16, help="threads per worker process")
    parser.add_argument("--workers", type=int, default=1, help="server processes (>1: gunicorn)")
    args = parser.parse_args()
    bench(args.clients, args.per_client, args.duplicates, args.threads, args.workers)


if __name__ == "__main__":
    main()
