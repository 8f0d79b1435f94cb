"""Server time per page of the trial office (p50, p95), in process, and the time of a
whole-trail CSV export.

Run: python benchmarks/office_pages.py --synthetic 200 [--requests 100]

Builds a trial of N randomized patients at two sites through the services (as
``benchmarks/web_pages.py`` does), then requests the office's pages signed in as a
trial-wide monitor through Django's whole middleware stack. Goal: p95 < 150 ms per page.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from web_pages import PASSWORD, _configure, _time_page

EXAMPLE = Path(__file__).parents[1] / "examples" / "screening" / "eligible-01.json"


def _synthetic(n: int) -> None:
    """N randomized patients at two sites (a shipped eligible screening record each), a
    baseline visit with a lab; every third lab queried and verified by the monitor."""
    import datetime as dt
    import json

    from oligotrial.edc import services
    from oligotrial.edc.services import office_queries, verification

    admin = services.bootstrap_admin("admin")
    coords = {}
    for code in ("S01", "S02"):
        services.add_site(admin, code, f"Hospital {code}")
        coords[code] = services.add_staff(admin, f"coord-{code.lower()}", "coordinator", code)
    monitor = services.add_staff(admin, "monitor", "monitor")
    stat = services.add_staff(admin, "statistician", "statistician")
    services.generate_allocation_list(stat, seed=20260301, slots_per_stratum=n)
    data = json.loads(EXAMPLE.read_text())
    day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=200)
    for i in range(n):
        coord = coords["S01" if i % 2 else "S02"]
        number = f"{coord.site.code}-{i:04d}"
        record = {**data.get("record", data), "patient_id": number}
        record |= {"screening_date": day.isoformat(), "birth_date": "1960-05-01"}
        services.screen(coord, record)
        services.record_consent(coord, number, version="1.0", signed_on=day)
        services.randomize(coord, number, randomized_on=day + dt.timedelta(days=1))
        services.schedule_visits(coord, number, horizon_weeks=60)
        services.record_visit(coord, number, 0, visit_date=day)
        lab = services.record(
            coord,
            number,
            "lab",
            {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": day},
            visit_number=0,
        )
        if i % 3 == 0:
            office_queries.raise_query(monitor, "lab", lab.pk, "value", "Source?")
            verification.verify(monitor, "lab", lab.pk)
        if i % 20 == 0:
            print(f"  {i}/{n} patients", file=sys.stderr)


def run(requests: int) -> None:
    from django.test import Client

    from oligotrial.edc.models import AuditEntry, Patient, Staff
    from oligotrial.edc.services.accounts import set_password

    monitor = Staff.objects.get(role="monitor", site__isnull=True)
    first = Patient.objects.order_by("screening_number").first()
    assert first is not None
    set_password(monitor.username, PASSWORD)
    monitor.refresh_from_db()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(monitor.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    entries = AuditEntry.objects.count()
    print(f"patients: {Patient.objects.count()}; audit entries: {entries}; {requests} requests")
    print(f"{'page':<44} {'wall p50':>9} {'wall p95':>9} {'cpu p50':>8} {'cpu p95':>8}  (ms)")
    pages = [
        "/office/queries/",
        "/office/sdv/",
        "/office/sdv/?site=S01",
        f"/office/sdv/{first.screening_number}/",
        "/office/audit/",
        f"/office/audit/?patient={first.screening_number}",
        "/office/audit/?field=visit_date&page=3",
    ]
    for path in pages:
        w50, w95, c50, c95 = _time_page(client, path, requests)
        print(f"{path:<44} {w50:9.1f} {w95:9.1f} {c50:8.1f} {c95:8.1f}")
    started = time.perf_counter()
    response = client.get("/office/audit/export.csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    took = time.perf_counter() - started
    print(f"CSV export of all {entries} entries: {size / 1e6:.1f} MB in {took:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=200)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="oligotrial-office-bench-"))
    try:
        _configure(work)
        _synthetic(args.synthetic)
        run(args.requests)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
