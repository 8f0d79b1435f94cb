"""Samples overdue across the trial: a ctDNA or biopsy time point of the protocol whose
window has closed with no sample recorded (issue 19; the same rule as a patient's samples
page, :func:`oligotrial.edc.services.sample_reading.sample_rows`).

Read for every patient the actor sees in a fixed number of queries (allocations, the end
of the last radiotherapy course, the samples recorded), whatever the number of patients.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from oligotrial.edc.models import Allocation, Biosample, Patient, RadiotherapyCourse, Staff
from oligotrial.edc.services.access import current_actor, require_role, visible_patients
from oligotrial.edc.services.data_cuts import POOLED_READERS
from oligotrial.edc.services.sample_reading import sample_rows


@dataclass(frozen=True)
class OverdueSample:
    site: str
    screening_number: str
    kind: str  # ctdna | biopsy
    time_point: str
    due: dt.date
    window_closed: dt.date


def overdue_of(patients: QuerySet[Patient], today: dt.date) -> list[OverdueSample]:
    """Every overdue sample of ``patients`` (randomized ones only), by site and patient."""
    allocations = list(
        Allocation.objects.filter(patient__in=patients).values_list(
            "patient_id", "patient__site__code", "patient__screening_number", "randomized_on"
        )
    )
    ids = [a[0] for a in allocations]
    rt_end = dict(
        RadiotherapyCourse.objects.filter(patient_id__in=ids, end_date__isnull=False)
        .values("patient_id")
        .annotate(last=Max("end_date"))
        .values_list("patient_id", "last")
    )
    recorded: dict[int, list[Biosample]] = defaultdict(list)
    for sample in Biosample.objects.filter(patient_id__in=ids).order_by("id"):
        recorded[sample.patient_id].append(sample)
    out = []
    for pid, site, number, randomized_on in allocations:
        rows = sample_rows(randomized_on, rt_end.get(pid), recorded[pid], today, with_custody=False)
        for r in rows:
            if r.overdue and r.due is not None and r.due.due and r.due.latest:
                out.append(
                    OverdueSample(site, number, r.kind, r.time_point, r.due.due, r.due.latest)
                )
    return sorted(out, key=lambda o: (o.site, o.screening_number, o.window_closed, o.kind))


def overdue_by_site(patients: QuerySet[Patient], today: dt.date) -> list[tuple[str, int]]:
    """(site, overdue samples) for each site with any."""
    return sorted(Counter(o.site for o in overdue_of(patients, today)).items())


def overdue_samples(actor: Staff, today: dt.date, site: str = "") -> list[OverdueSample]:
    """The overdue samples the trial office reads, of one site (``site``) or of all."""
    require_role(actor, POOLED_READERS, "reading the overdue samples")
    rows = overdue_of(visible_patients(current_actor(actor)), today)
    return [o for o in rows if not site or o.site == site]


__all__ = ["OverdueSample", "overdue_by_site", "overdue_of", "overdue_samples"]
