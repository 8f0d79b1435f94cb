"""Concurrent randomization: our locked claim against a naive "read first free slot, then
write it" claim (the pattern of EDCs that take the next slot without a lock), same run.

    python benchmarks/edc_randomization.py                 # SQLite, and PostgreSQL if reachable
    python benchmarks/edc_randomization.py --vendor sqlite --workers 8 --patients 800

Prints, per database: allocations per second for each method, the time ratio, and how many
slots the naive method gave to two patients (ours must give none).
PostgreSQL: OLIGOTRIAL_BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
names a server where a scratch database may be created and dropped.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PG_URL = os.environ.get("OLIGOTRIAL_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _setup(vendor: str) -> tuple[str | None, object]:
    from oligotrial.edc.settings import configure

    if vendor == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="oligotrial-bench-"))
        configure(data_dir=folder, environ={})
        return None, folder
    import psycopg

    name = f"oligotrial_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    configure(database_url=url, environ={})
    return name, url


def _trial(n: int) -> tuple[object, list[str]]:
    import datetime as dt

    from django.core.management import call_command

    from oligotrial.edc import services
    from oligotrial.edc.models import Consent, Patient, Screening, Site

    call_command("migrate", verbosity=0)
    admin = services.bootstrap_admin("admin")
    services.add_site(admin, "S01", "Bench")
    coord = services.add_staff(admin, "coord", "coordinator", "S01")
    stat = services.add_staff(admin, "stat", "statistician")
    services.generate_allocation_list(stat, seed=1, slots_per_stratum=2 * n + 8)
    site = Site.objects.get(code="S01")
    day = dt.date.today() - dt.timedelta(days=3)
    verdicts = [
        {"id": c.id, "kind": c.kind, "status": "met" if c.kind == "inclusion" else "not_met"}
        for c in _criteria()
    ]
    patients = Patient.objects.bulk_create(
        [
            Patient(
                site=site,
                screening_number=f"P{i:05d}",
                stratification={
                    "site": "S01",
                    "oligoprogression_site": "intrahepatic-only",
                    "flst_ici": "ici",
                },
            )
            for i in range(2 * n)
        ]
    )
    Screening.objects.bulk_create(
        [
            Screening(
                patient=p,
                screened_on=day,
                protocol_id="x",
                protocol_version="1",
                eligible=True,
                verdicts=verdicts,
            )
            for p in patients
        ]
    )
    Consent.objects.bulk_create(
        [Consent(patient=p, version="1", signed_on=day, obtained_by=coord) for p in patients]
    )
    return coord, [p.screening_number for p in patients]


def _criteria() -> tuple:  # type: ignore[type-arg]
    from oligotrial.edc.trial_config import current_protocol

    return current_protocol().criteria


def _naive_claim(number: str) -> int:
    from django.db import transaction

    from oligotrial.edc.models import AllocationSlot, Patient

    with transaction.atomic():
        patient = Patient.objects.get(screening_number=number)
        slot = (
            AllocationSlot.objects.filter(
                stratum__endswith="flst_ici=ici",
                stratum__contains="intrahepatic-only",
                patient__isnull=True,
            )
            .order_by("sequence")
            .first()
        )
        assert slot is not None
        time.sleep(0.0005)  # the gap any real request has between reading and writing
        AllocationSlot.objects.filter(pk=slot.pk).update(patient=patient)
        return int(slot.pk)


def _run(workers: int, numbers: list[str], call: object) -> float:
    from django.db import connections

    chunks = [numbers[w::workers] for w in range(workers)]
    barrier = threading.Barrier(workers)

    def work(chunk: list[str]) -> None:
        barrier.wait()
        for n in chunk:
            call(n)  # type: ignore[operator]
        connections.close_all()

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def bench(vendor: str, workers: int, patients: int) -> None:
    import datetime as dt

    scratch, _ = _setup(vendor)
    from django.db import connections

    from oligotrial.edc import services
    from oligotrial.edc.models import Allocation, AllocationSlot

    try:
        coord, numbers = _trial(patients)
        ours_numbers, naive_numbers = numbers[:patients], numbers[patients:]
        today = dt.date.today()
        ours = _run(
            workers, ours_numbers, lambda n: services.randomize(coord, n, randomized_on=today)
        )
        ours_dupes = patients - len(set(Allocation.objects.values_list("slot_id", flat=True)))
        claimed: list[int] = []
        lock = threading.Lock()

        def naive(n: str) -> None:
            pk = _naive_claim(n)
            with lock:
                claimed.append(pk)

        naive_time = _run(workers, naive_numbers, naive)
        naive_dupes = sum(c - 1 for c in Counter(claimed).values() if c > 1)
        used = AllocationSlot.objects.filter(patient__isnull=False).count()
        print(f"{vendor:10s} workers={workers} patients={patients}")
        print(
            f"  ours  (locked claim, audited): {patients / ours:8.1f} allocations/s, "
            f"slots given twice: {ours_dupes}"
        )
        print(
            f"  naive (read then write):       {patients / naive_time:8.1f} allocations/s, "
            f"slots given twice: {naive_dupes} (slots used {used - patients} of "
            f"{patients} requests)"
        )
        print(f"  time ratio ours/naive: {ours / naive_time:.2f}")
    finally:
        connections.close_all()
        if scratch:
            import psycopg

            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", choices=["sqlite", "postgresql"])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--patients", type=int, default=400)
    args = parser.parse_args()
    if args.vendor:
        bench(args.vendor, args.workers, args.patients)
        return
    for vendor in ("sqlite", "postgresql"):  # one process each: Django is configured once
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--vendor",
                vendor,
                "--workers",
                str(args.workers),
                "--patients",
                str(args.patients),
            ],
            check=False,
        )


if __name__ == "__main__":
    main()
