"""The trial database as the SDTM domains read it: one query per table, nothing written.

Readers are the roles that may export analysis data (statistician, data manager, monitor);
site isolation applies as everywhere (:func:`visible_patients`). Subjects are the patients
who consented or were randomized (SDTMIG 3.4, DM: screen failures who consented are
included). The reference start ``RFSTDTC`` is the randomization date (day 1 of the trial's
assessment schedule); a subject never randomized has none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from oligotrial.edc.export import READERS
from oligotrial.edc.models import (
    AdverseEvent,
    Biosample,
    Consent,
    Death,
    Exposure,
    Lesion,
    LesionMeasurement,
    NewAnticancerTherapy,
    Patient,
    RadiotherapyCourse,
    Screening,
    Staff,
    Visit,
    Withdrawal,
)
from oligotrial.edc.models.measurements import LabResult
from oligotrial.edc.services.access import require_role, visible_patients


@dataclass
class Subject:
    """One subject's rows, each table's rows ordered by id."""

    patient: Patient
    consent: Consent | None = None
    screening: Screening | None = None
    death: Death | None = None
    withdrawal: Withdrawal | None = None
    visits: list[Visit] = field(default_factory=list)
    labs: list[LabResult] = field(default_factory=list)
    lesions: list[Lesion] = field(default_factory=list)
    measurements: list[LesionMeasurement] = field(default_factory=list)
    adverse_events: list[AdverseEvent] = field(default_factory=list)
    exposures: list[Exposure] = field(default_factory=list)
    rt_courses: list[RadiotherapyCourse] = field(default_factory=list)
    therapies: list[NewAnticancerTherapy] = field(default_factory=list)
    samples: list[Biosample] = field(default_factory=list)

    @property
    def usubjid(self) -> str:
        return self.patient.screening_number

    @property
    def randomized_on(self) -> dt.date | None:
        allocation = getattr(self.patient, "allocation", None)
        return allocation.randomized_on if allocation is not None else None

    @property
    def arm(self) -> str | None:
        allocation = getattr(self.patient, "allocation", None)
        return allocation.arm if allocation is not None else None


def _group(rows: Any, key: str = "patient_id") -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def read_subjects(actor: Staff) -> list[Subject]:
    """Every subject ``actor`` may read, in screening-number order (see module docstring)."""
    require_role(actor, READERS, "exporting SDTM")
    patients = list(
        visible_patients(actor).select_related("site", "allocation").order_by("screening_number")
    )
    ids = [p.id for p in patients]
    consents = {c.patient_id: c for c in Consent.objects.filter(patient_id__in=ids).order_by("id")}
    screenings = {
        s.patient_id: s
        for s in Screening.objects.filter(patient_id__in=ids).order_by("version", "id")
    }  # the newest version of each is in force
    deaths = {d.patient_id: d for d in Death.objects.filter(patient_id__in=ids)}
    withdrawals = {w.patient_id: w for w in Withdrawal.objects.filter(patient_id__in=ids)}
    tables = {
        "visits": _group(Visit.objects.filter(patient_id__in=ids).order_by("number")),
        "labs": _group(LabResult.objects.filter(patient_id__in=ids).select_related("visit")),
        "lesions": _group(Lesion.objects.filter(patient_id__in=ids).order_by("id")),
        "adverse_events": _group(AdverseEvent.objects.filter(patient_id__in=ids).order_by("id")),
        "exposures": _group(Exposure.objects.filter(patient_id__in=ids).order_by("id")),
        "rt_courses": _group(
            RadiotherapyCourse.objects.filter(patient_id__in=ids).select_related("lesion")
        ),
        "therapies": _group(NewAnticancerTherapy.objects.filter(patient_id__in=ids)),
        "samples": _group(Biosample.objects.filter(patient_id__in=ids).order_by("id")),
    }
    measurements = _measurements_by_patient(ids)
    out = []
    for p in patients:
        randomized = hasattr(p, "allocation")
        if p.id not in consents and not randomized:
            continue
        subject = Subject(
            p,
            consents.get(p.id),
            screenings.get(p.id),
            deaths.get(p.id),
            withdrawals.get(p.id),
            measurements=measurements.get(p.id, []),
            **{name: rows.get(p.id, []) for name, rows in tables.items()},
        )
        out.append(subject)
    return out


def _measurements_by_patient(ids: list[int]) -> dict[int, list[LesionMeasurement]]:
    out: dict[int, list[LesionMeasurement]] = defaultdict(list)
    rows = (
        LesionMeasurement.objects.filter(lesion__patient_id__in=ids)
        .select_related("lesion", "visit")
        .order_by("id")
    )
    for m in rows:
        out[m.lesion.patient_id].append(m)
    return out
