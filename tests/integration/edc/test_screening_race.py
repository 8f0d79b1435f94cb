"""Screening, correcting and randomizing one patient at the same moment, each call in its
own process with its own database connection: no write is lost or undone.

Without the patient-row lock, a re-screening that read the patient before a randomization
committed saved the whole row after it: status back to "screening", the randomization
number NULL and the strata out of step with the allocation; two corrections read the same
version and one was lost (or failed on the version number).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from typing import Any

from django.db import connections
from edc_support import TODAY, TrialDb, build_trial, enrol, screening_record

from oligotrial.edc import services
from oligotrial.edc.models import Allocation, DataQuery, Patient, Screening
from oligotrial.edc.services.allocation_list import active_list
from oligotrial.errors import StateError
from oligotrial.randomization import Factor, stratum_key

TRIES = 8
Job = Callable[[], Any]


def race(*jobs: Job) -> list[tuple[str, str]]:
    """Run the jobs at once, each in a forked process (its own connection); per job
    ("ok", "") or (exception class name, message)."""
    ctx = mp.get_context("fork")
    queue: Any = ctx.Queue()
    barrier: Any = ctx.Barrier(len(jobs))

    def work(index: int, job: Job) -> None:
        try:
            barrier.wait()
            job()
            queue.put((index, "ok", ""))
        except BaseException as exc:  # reported to the test
            queue.put((index, type(exc).__name__, str(exc)))
        finally:
            connections.close_all()

    connections.close_all()  # never share a connection across fork
    procs = [ctx.Process(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for p in procs:
        p.start()
    out: dict[int, tuple[str, str]] = {}
    for _ in procs:
        index, kind, message = queue.get(timeout=300)
        out[index] = (kind, message)
    for p in procs:
        p.join(timeout=60)
    return [out[i] for i in range(len(jobs))]


def allocation_consistent(number: str) -> Patient:
    """The patient row agrees with its allocation (status, number, stratum)."""
    patient = Patient.objects.get(screening_number=number)
    allocation = Allocation.objects.get(patient=patient)
    factors = tuple(Factor(name, tuple(levels)) for name, levels in active_list().factors)
    assert patient.status == "randomized", number
    assert patient.randomization_number == allocation.randomization_number, number
    assert stratum_key(factors, patient.stratification) == allocation.stratum, number
    return patient


def test_rescreening_while_randomizing_never_undoes_the_allocation(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    outcomes = []
    for i in range(TRIES):
        number = f"S01-{i:03d}"
        enrol(c, number, ici="ici")
        again = screening_record(number, "any-extrahepatic", "no-ici")
        outcomes.append(
            race(
                lambda n=number: services.randomize(c, n, randomized_on=TODAY),
                lambda r=again: services.screen(c, r),
            )
        )
    for i, (randomized, screened) in enumerate(outcomes):
        number = f"S01-{i:03d}"
        assert randomized == ("ok", ""), randomized
        patient = allocation_consistent(number)
        if screened[0] == "ok":  # screened first: randomized with the new record's strata
            assert patient.stratification["flst_ici"] == "no-ici"
            assert Screening.objects.filter(patient=patient).count() == 2
        else:  # randomized first: the re-screening is refused, nothing stored
            assert screened[0] == StateError.__name__, screened
            assert "screening is closed" in screened[1]
            assert patient.stratification["flst_ici"] == "ici"
            assert Screening.objects.filter(patient=patient).count() == 1
    assert services.verify_chain().ok


def test_two_corrections_at_once_both_land_in_order(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    for i in range(TRIES):
        number = f"S01-{i:03d}"
        services.screen(c, screening_record(number))
        results = race(
            lambda n=number: services.correct_screening_record(
                c, n, path="ecog", value=1, reason="re-assessed"
            ),
            lambda n=number: services.correct_screening_record(
                c, n, path="labs.afp.value", value=900, reason="lab report re-read"
            ),
        )
        assert results == [("ok", ""), ("ok", "")], results
        versions = list(
            Screening.objects.filter(patient__screening_number=number).order_by("version")
        )
        assert [s.version for s in versions] == [1, 2, 3]
        latest = versions[-1].record
        assert latest["ecog"] == 1 and latest["labs"]["afp"]["value"] == 900
    assert services.verify_chain().ok


def test_a_stratum_correction_while_randomizing_is_used_or_queried(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    for i in range(TRIES):
        number = f"S01-{i:03d}"
        enrol(c, number, ici="ici")
        results = race(
            lambda n=number: services.randomize(c, n, randomized_on=TODAY),
            lambda n=number: services.correct_screening_record(
                c, n, path="flst.contains_ici", value=False, reason="regimen re-checked"
            ),
        )
        assert results == [("ok", ""), ("ok", "")], results
        patient = allocation_consistent(number)
        queried = DataQuery.objects.filter(
            patient=patient, field="strata.flst_ici", status="open"
        ).exists()
        # corrected first: randomized as no-ici, nothing to query; corrected after: the
        # stratum used is kept and the data manager is asked
        assert queried == (patient.stratification["flst_ici"] == "ici"), number
    assert services.verify_chain().ok
