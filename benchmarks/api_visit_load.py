"""Visit data through the API under load, and crash safety: concurrent clients entering
visits, tumour measurements, labs and adverse events through ``oligotrial serve`` on
PostgreSQL over loopback; then the same while the server is killed (SIGKILL) mid-load.

    python benchmarks/api_visit_load.py                 # 32 clients; 10 kills
    python benchmarks/api_visit_load.py --clients 32 --per-client 4 --crash-per-client 5 --kills 10

Set-up as in ``api_load.py`` (its scratch database, trial and server are used): the patients
are screened and consented through the services; those of the first part are randomized
there too (on 2025-09-16, so that two visits are past). Each client (one HTTP connection,
asyncio + httpx) takes its own patients one after another and, for each, schedules the
visits, records the baseline visit and the week-8 visit, a target lesion, its measurement at
both visits, three lab results and an adverse event, and sends one request that must be
refused (a text ``"30"`` as a lab value, an adverse event starting tomorrow, or the baseline
visit recorded twice: 422, 422, 409).

*Part 1*: 32 clients; requests per second, p50/p99 per operation, every answer as expected.
*Part 2*: fresh patients, each randomized by its client first; the server process is killed
with SIGKILL 10 times, evenly over the load (when k/11 of the requests are done, k = 1..10),
and started again at once; the clients keep going. A request without an answer is, once the
server answers again, looked for (the patient's visits or records are read) and sent again
only when it did not land: what a careful client does with a write whose answer was lost.
A one-client run of 4 patients before part 1 gives the latency without concurrency, and the
server process's CPU time per request in part 1 shows what the requests cost.

After each part: every acknowledged write (2xx received) is in the database with the values
it was acknowledged with, and every patient has exactly the records it was sent (none doubled,
none lost). After part 2, over the whole database: randomization numbers consecutive, none
doubled or skipped, no slot given twice, and ``oligotrial audit verify`` (the keyed chain,
the signed checkpoints and the reconciliation of every table with the trail) passes.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api_load import PG_URL, ROOT, _check, _free_port, _percentile, _scratch, _serve, _trial

DAY0 = dt.date(2025, 9, 16)  # the randomization date (the screening record is of 2025-09-15)
#: records each patient must have afterwards (kind -> count) and visits done
EXPECTED = {"lesion": 1, "measurement": 2, "lab": 3, "adverse_event": 1}
VISITS_DONE = 2
PATIENT = "patient__screening_number"
#: patients entered by one client alone before part 1 (the latency without concurrency)
BASELINE = 4


@dataclass(frozen=True)
class Step:
    """One request of a client: ``landed`` says how to find it when its answer was lost."""

    op: str
    path: str
    body: dict[str, Any]
    refusal: int | None = None  # the status a refusal must have
    landed: str = "retry"  # "retry" (idempotent or refused), "visit" or a record kind
    match: dict[str, Any] = field(default_factory=dict)


def _steps(number: str, i: int, randomize: bool) -> list[Step]:
    """The requests for one patient: ``i`` varies the values and the refusal."""
    p = f"/api/patients/{number}"
    d0, d8, d20 = (str(DAY0 + dt.timedelta(days=d)) for d in (0, 56, 20))
    tomorrow = str(dt.date.today() + dt.timedelta(days=1))

    def record(kind: str, body: dict[str, Any], *match: str) -> Step:
        return Step(kind, f"{p}/records/{kind}", body, None, kind, {k: body[k] for k in match})

    def lab(analyte: str, value: Any, unit: str, day: str, visit: int) -> Step:
        body = {"analyte": analyte, "value": value, "unit": unit, "sampled_on": day}
        return record("lab", {**body, "visit_number": visit}, "analyte", "sampled_on")

    def measured(visit: int, day: str, mm: int) -> Step:
        body = {"lesion_code": "T1", "visit_number": visit, "measured_on": day, "diameter_mm": mm}
        return record("measurement", body, "measured_on")

    def visit(n: int, day: str) -> Step:
        return Step("visit", f"{p}/visits/{n}", {"visit_date": day}, None, "visit", {"number": n})

    bad_lab = lab("afp", "30", "ng/mL", d0, 0)
    refusal = [
        Step("refused: lab value as text", bad_lab.path, bad_lab.body, 422),
        Step(
            "refused: adverse event tomorrow",
            f"{p}/records/adverse_event",
            {"term": "Nausea", "grade": 1, "onset_date": tomorrow},
            422,
        ),
        Step("refused: baseline visit again", f"{p}/visits/0", {"visit_date": d0}, 409),
    ][i % 3]
    first = [Step("randomization", f"{p}/randomization", {"randomized_on": d0})]
    return [
        *(first if randomize else []),
        Step("schedule", f"{p}/visits/schedule", {"horizon_weeks": 24}),
        visit(0, d0),
        record("lesion", {"code": "T1", "role": "target", "organ": "liver"}, "code"),
        measured(0, d0, 30 + i % 10),
        lab("albumin", 38.5, "g/L", d0, 0),
        lab("bilirubin", 15.2, "µmol/L", d0, 0),
        visit(1, d8),
        measured(1, d8, 20 + i % 10),
        lab("albumin", 37.9, "g/L", d8, 1),
        record("adverse_event", {"term": "Fatigue", "grade": 1, "onset_date": d20}, "term"),
        refusal,
    ]


@dataclass
class Log:
    """What the clients saw: answered requests (op, seconds, status), acknowledged writes,
    unexpected answers, and requests left without an answer (and whether they had landed)."""

    answered: list[tuple[str, float, int]] = field(default_factory=list)
    acks: list[tuple[str, Step, Any]] = field(default_factory=list)
    errors: list[tuple[str, str, int, str]] = field(default_factory=list)
    unanswered: int = 0
    landed: int = 0
    done: int = 0
    ready: int = 0  # clients connected


async def _found(http: Any, headers: dict[str, str], number: str, step: Step) -> bool:
    """Wait until the server answers, then whether the step's write is in the database."""
    import httpx

    if step.landed == "visit":
        probe = f"/api/patients/{number}/visits"
    elif step.landed == "retry":
        probe = f"/api/patients/{number}"
    else:
        probe = f"/api/patients/{number}/records/{step.landed}"
    while True:
        await asyncio.sleep(0.2)
        try:
            response = await http.get(probe, headers=headers)
        except httpx.TransportError:
            continue
        if response.status_code != 200:
            raise SystemExit(f"reading {probe} after a restart: {response.status_code}")
        if step.landed == "retry":
            return False
        if step.landed == "visit":
            return any(
                v["number"] == step.match["number"] and v["status"] == "done"
                for v in response.json()
            )
        return any(
            all(row["values"].get(k) == v for k, v in step.match.items()) for row in response.json()
        )


async def _perform(http: Any, headers: dict[str, str], number: str, step: Step, log: Log) -> None:
    import httpx

    while True:
        began = time.perf_counter()
        try:
            response = await http.post(step.path, json=step.body, headers=headers)
        except httpx.TransportError:
            log.unanswered += 1
            if await _found(http, headers, number, step):
                log.landed += 1
                break
            continue
        log.answered.append((step.op, time.perf_counter() - began, response.status_code))
        if step.refusal is None and response.status_code in (200, 201):
            log.acks.append((number, step, response.json()))
        elif step.refusal is None or response.status_code != step.refusal:
            log.errors.append((number, step.op, response.status_code, response.text[:200]))
        break
    log.done += 1


async def _client(
    base: str,
    jobs: list[tuple[str, list[Step]]],
    token: dict[str, str],
    start: asyncio.Event,
    log: Log,
) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        await http.get("/api/openapi.json")  # the connection is open before the start
        log.ready += 1
        await start.wait()
        for number, steps in jobs:
            headers = {"Authorization": f"Bearer {token[number]}"}
            for step in steps:
                await _perform(http, headers, number, step, log)


@dataclass
class Server:
    """The running ``oligotrial serve`` and how to start it again."""

    url: str
    audit_dir: str
    port: int
    threads: int
    folder: str
    process: subprocess.Popen[str] | None = None
    downtime: list[float] = field(default_factory=list)

    def start(self) -> None:
        self.process = _serve(self.url, self.audit_dir, self.port, self.threads, self.folder)

    def kill_and_restart(self) -> None:
        assert self.process is not None
        began = time.perf_counter()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.start()
        self.downtime.append(time.perf_counter() - began)

    def cpu(self) -> float:
        """CPU seconds the server process has used (user + system)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


async def _killer(server: Server, log: Log, total: int, kills: int) -> None:
    """SIGKILL the server after each (kills + 1)-th of the requests, restarting it at once."""
    for k in range(1, kills + 1):
        while log.done < total * k / (kills + 1):
            await asyncio.sleep(0.01)
        await asyncio.to_thread(server.kill_and_restart)


async def _run(
    server: Server, plan: list[list[tuple[str, list[Step]]]], token: dict[str, str], kills: int
) -> tuple[Log, float, float]:
    """The clients' run: what they saw, its wall time and the server's CPU seconds (NaN when
    the server was restarted: a new process's start-up is not request time)."""
    log = Log()
    start = asyncio.Event()
    base = f"http://127.0.0.1:{server.port}"
    tasks = [asyncio.create_task(_client(base, jobs, token, start, log)) for jobs in plan]
    total = sum(len(steps) for jobs in plan for _, steps in jobs)
    while log.ready < len(plan):  # every client connected (a new server is slow at first)
        await asyncio.sleep(0.05)
    began, cpu = time.perf_counter(), server.cpu()
    start.set()
    killer = asyncio.create_task(_killer(server, log, total, kills)) if kills else None
    await asyncio.gather(*tasks, *([killer] if killer else []))
    wall = time.perf_counter() - began
    return log, wall, float("nan") if kills else server.cpu() - cpu


def _present(log: Log, numbers: list[str]) -> list[str]:
    """Every acknowledged write in the database as acknowledged; every patient with exactly
    the records and done visits it was sent."""
    from django.db.models import Count

    from oligotrial.edc.models import Visit
    from oligotrial.edc.services import audit
    from oligotrial.edc.services.kinds import KINDS

    missing = 0
    for number, step, body in log.acks:
        if step.landed in EXPECTED:
            row = KINDS[step.landed].model._default_manager.filter(pk=body["id"]).first()
            missing += row is None or audit.snapshot(row) != body["values"]
        elif step.landed == "visit":
            v = Visit.objects.filter(patient__screening_number=number, number=step.match["number"])
            missing += not v.filter(status="done", visit_date=body["visit_date"]).exists()
    problems = [f"{missing} acknowledged writes missing or changed"] if missing else []
    done = Visit.objects.filter(status="done")
    for kind, rows, want in [
        *((k, KINDS[k].model._default_manager.all(), n) for k, n in EXPECTED.items()),
        ("visit done", done, VISITS_DONE),
    ]:
        key = f"lesion__{PATIENT}" if kind == "measurement" else PATIENT
        counts = dict(rows.filter(**{f"{key}__in": numbers}).values_list(key).annotate(Count("pk")))
        wrong = [n for n in numbers if counts.get(n, 0) != want]
        if wrong:
            problems.append(f"{kind}: {len(wrong)} patients without exactly {want}")
    return problems


def _audit_verify(url: str, audit_dir: str) -> str:
    """``oligotrial audit verify`` on the database, as an operator runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OLIGOTRIAL_DATABASE_URL": url}
    env["OLIGOTRIAL_AUDIT_DIR"] = audit_dir
    command = [sys.executable, "-m", "oligotrial", "audit", "verify"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return f"audit verify FAILED: {done.stdout[-1500:]} {done.stderr[-500:]}"
    out = json.loads(done.stdout)
    entries, points, rows = out["entries"], out["checkpoints"], out["reconcile"]["rows"]
    return f"audit verify passed: {entries} entries, {points} checkpoints, {rows} rows reconciled"


def _report(title: str, log: Log, wall: float, cpu: float) -> None:
    ms = [1000 * s for _, s, _ in log.answered]
    n = len(ms)
    print(f"{title}: {n} answered requests in {wall:.1f} s ({n / wall:.1f}/s)")
    if cpu == cpu:  # not NaN
        print(f"  server process CPU {cpu:.1f} s, {1000 * cpu / n:.0f} ms a request")
    p50, p99 = _percentile(ms, 50), _percentile(ms, 99)
    print(f"  all: p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {max(ms):.0f} ms")
    for op in dict.fromkeys(op for op, _, _ in log.answered):
        part = [1000 * s for o, s, _ in log.answered if o == op]
        p50, p99 = _percentile(part, 50), _percentile(part, 99)
        print(f"  {op:32} {len(part):5}  p50 {p50:5.0f} ms  p99 {p99:5.0f} ms")
    refused = sum(1 for op, _, _ in log.answered if op.startswith("refused"))
    print(f"  refused as expected {refused}; any other answer than expected: {len(log.errors)}")
    for e in log.errors[:5]:
        print("    unexpected:", *e)


def _plan(patients: list[tuple[str, str]], clients: int, randomize: bool) -> list[Any]:
    """Each client's patients, each with its requests."""
    return [
        [(n, _steps(n, i, randomize)) for i, (_, n) in enumerate(patients[c::clients])]
        for c in range(clients)
    ]


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _verdict(problems: list[str], done: str) -> str:
    return "  stored: " + ("; ".join(problems) or done)


def bench(clients: int, per_client: int, crash_per_client: int, kills: int, threads: int) -> bool:
    import psycopg
    from django.db import connections

    from oligotrial.edc.settings import configure

    name, url = _scratch()
    audit_dir = tempfile.mkdtemp(prefix="oligotrial-apivisits-audit-")
    folder = tempfile.mkdtemp(prefix="oligotrial-apivisits-")
    configure(database_url=url, environ={"OLIGOTRIAL_AUDIT_DIR": audit_dir})
    from oligotrial.edc import services

    server = Server(url, audit_dir, _free_port(), threads, folder)
    try:
        n1, n2 = BASELINE + clients * per_client, clients * crash_per_client
        began = time.perf_counter()
        tokens, patients = _trial(n1 + n2)
        first, second = patients[:n1], patients[n1:]
        for site, number in first:
            services.randomize(services.get_actor(f"coord-{site}"), number, randomized_on=DAY0)
        took = time.perf_counter() - began
        print(f"set-up: {n1 + n2} patients screened and consented, {n1} randomized, {took:.0f} s")
        token = {number: tokens[site] for site, number in patients}
        connections.close_all()
        server.start()
        print(f"part 1, {_load()}")
        alone = asyncio.run(_run(server, _plan(first[:BASELINE], 1, False), token, 0))
        _report(f"  one client alone first, {BASELINE} patients", *alone)
        log, wall, cpu = asyncio.run(
            _run(server, _plan(first[BASELINE:], clients, False), token, 0)
        )
        print(f"  then {_load()}")
        title = f"part 1, visit data, oligotrial serve ({threads} threads), {clients} clients"
        _report(f"{title}, {n1 - BASELINE} patients", log, wall, cpu)
        problems = _present(log, [n for _, n in first[BASELINE:]])
        print(_verdict(problems, "every acknowledged write present, every record once"))
        ok = not problems and not log.errors
        connections.close_all()
        print(f"part 2, {_load()}")
        log, wall, cpu = asyncio.run(_run(server, _plan(second, clients, True), token, kills))
        print(f"  then {_load()}")
        kill = f"{len(server.downtime)} SIGKILLs"
        _report(f"part 2, randomization and visit data, {kill}, {n2} patients", log, wall, cpu)
        down = server.downtime
        print(
            f"  server down {sum(down):.1f} s in all (kill to answering again "
            f"{min(down, default=0):.1f}-{max(down, default=0):.1f} s); requests left without "
            f"an answer {log.unanswered}: {log.landed} had landed (found, not sent again)"
        )
        problems = _present(log, [n for _, n in second])
        randomized = [
            (n, 0.0, 201, body) for n, step, body in log.acks if step.op == "randomization"
        ]
        problems += _check(randomized, n1 + n2)
        print(
            _verdict(
                problems,
                f"every acknowledged write present, every record once; R0001..R{n1 + n2:04d} "
                "given once each (none doubled or skipped, no slot twice)",
            )
        )
        verdict = _audit_verify(url, audit_dir)
        print("  " + verdict)
        ok &= not problems and not log.errors and verdict.startswith("audit verify passed")
        print("RESULT: " + ("PASS" if ok else "FAIL"))
    finally:
        server.stop()
        connections.close_all()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(audit_dir, ignore_errors=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--per-client", type=int, default=4, help="patients per client, part 1")
    parser.add_argument(
        "--crash-per-client", type=int, default=5, help="patients per client, part 2"
    )
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    ok = bench(args.clients, args.per_client, args.crash_per_client, args.kills, args.threads)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
