"""Server time per page of the web application (p50, p95), in process.

Run: python benchmarks/web_pages.py DEMO_FOLDER [--requests 200]
     python benchmarks/web_pages.py --synthetic 1000 [--requests 200]

The first form copies the trial database of an ``oligotrial demo`` folder to a temporary
folder (the demo itself is not changed); the second builds a trial of N randomized patients
at two sites through the services (screening, consent, randomization, visits scheduled,
the baseline visit with a lab).
Each page is requested through Django's whole middleware stack (sessions, CSRF, locale,
CSP, lockout), signed in, as a coordinator (one site: the site home, a search, the patient
page, the screening form new and stored, a visit and the adverse events) and as a monitor
(every site); the time is from request to rendered response, without the network. Goal:
p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PASSWORD = "Benchmark-Passphrase-2026"
EXAMPLE = Path(__file__).parents[1] / "examples" / "screening" / "eligible-01.json"


def _configure(folder: Path) -> None:
    from django.core.management import call_command

    from oligotrial.edc.settings import configure

    configure(data_dir=folder, environ={"OLIGOTRIAL_ALLOWED_HOSTS": "127.0.0.1"})
    call_command("migrate", verbosity=0, interactive=False)


def _synthetic(n: int) -> None:
    """N randomized patients at two sites, each screened with a shipped eligible record,
    with the visit schedule, the baseline visit done and a lab recorded there."""
    import json

    from oligotrial.edc import services

    admin = services.bootstrap_admin("admin")
    coords = {}
    for code in ("S01", "S02"):
        services.add_site(admin, code, f"Hospital {code}")
        coords[code] = services.add_staff(admin, f"coord-{code.lower()}", "coordinator", code)
    services.add_staff(admin, "monitor", "monitor")
    stat = services.add_staff(admin, "statistician", "statistician")
    services.generate_allocation_list(stat, seed=20260301, slots_per_stratum=n)
    data = json.loads(EXAMPLE.read_text())
    today = dt.datetime.now(dt.UTC).date()
    for i in range(n):
        coord = coords["S01" if i % 2 else "S02"]
        number = f"{coord.site.code}-{i:04d}"
        day = today - dt.timedelta(days=400 - (i * 300) // max(n, 1))
        record = {**data.get("record", data), "patient_id": number}
        record |= {"screening_date": day.isoformat(), "birth_date": "1960-05-01"}
        services.screen(coord, record)
        services.record_consent(coord, number, version="1.0", signed_on=day)
        services.randomize(coord, number, randomized_on=day + dt.timedelta(days=1))
        services.schedule_visits(coord, number, horizon_weeks=104)
        services.record_visit(coord, number, 0, visit_date=day)
        services.record(
            coord,
            number,
            "lab",
            {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": day},
            visit_number=0,
        )
        if i % 50 == 0:
            print(f"  {i}/{n} patients", file=sys.stderr)


def _p50_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[int(0.95 * (len(values) - 1))]


def _time_page(client: Any, path: str, requests: int) -> tuple[float, float, float, float]:
    """Wall-clock and CPU milliseconds per request (p50, p95 of each)."""
    for _ in range(5):  # warm-up: templates, translations, connections
        assert client.get(path).status_code == 200, path
    wall, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return (*_p50_p95(wall), *_p50_p95(cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("demo", nargs="?", type=Path, help="an oligotrial demo folder")
    parser.add_argument("--synthetic", type=int, help="build a trial of N patients instead")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="oligotrial-web-bench-"))
    try:
        if args.synthetic:
            _configure(work)
            started = time.perf_counter()
            _synthetic(args.synthetic)
            print(f"built {args.synthetic} patients in {time.perf_counter() - started:.0f} s")
        elif args.demo:
            shutil.copy(args.demo / "trial.sqlite3", work / "trial.sqlite3")
            for tail in ("-wal", "-shm"):
                if (args.demo / f"trial.sqlite3{tail}").exists():
                    shutil.copy(args.demo / f"trial.sqlite3{tail}", work / f"trial.sqlite3{tail}")
            _configure(work)
        else:
            parser.error("give a demo folder or --synthetic N")
        run(args.requests)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(requests: int) -> None:
    from django.test import Client

    from oligotrial.edc.models import Patient, Staff
    from oligotrial.edc.services.accounts import set_password

    coord = Staff.objects.filter(role="coordinator").order_by("username").first()
    monitor = Staff.objects.filter(role="monitor", site__isnull=True).first()
    assert coord is not None and monitor is not None
    first = Patient.objects.filter(site=coord.site, allocation__isnull=False).first()
    assert first is not None
    print(
        f"patients: {Patient.objects.count()} ({coord.site} has "
        f"{Patient.objects.filter(site=coord.site).count()}); {requests} requests per page"
    )
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CPU time is the "
        "server's own work, wall time includes waiting for a core"
    )
    print(f"{'page':<52} {'wall p50':>9} {'wall p95':>9} {'cpu p50':>8} {'cpu p95':>8}  (ms)")
    for who, pages in (
        (
            coord,
            [
                "/",
                f"/?q={first.screening_number[-3:]}",
                f"/patients/{first.screening_number}/",
                "/patients/new/screening/",
                f"/patients/{first.screening_number}/screening/",
                f"/patients/{first.screening_number}/visits/1/",
                f"/patients/{first.screening_number}/adverse-events/",
            ],
        ),
        (monitor, ["/", "/?page=2"]),
    ):
        set_password(who.username, PASSWORD)
        who.refresh_from_db()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(who.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        for path in pages:
            w50, w95, c50, c95 = _time_page(client, path, requests)
            print(f"{who.role + ' ' + path:<52} {w50:9.1f} {w95:9.1f} {c50:8.1f} {c95:8.1f}")


if __name__ == "__main__":
    main()
