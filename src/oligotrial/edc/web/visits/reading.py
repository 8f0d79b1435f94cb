"""Read-only queries behind the visit page, in a fixed number of queries (one per table,
never one per record): the visit, the patient's lesions with their measurement at this
visit and earlier, the labs of this visit, and the patient's treatment, samples and
end-of-follow-up records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from oligotrial.edc.models import (
    Biosample,
    Exposure,
    LabResult,
    Lesion,
    LesionMeasurement,
    NewAnticancerTherapy,
    Patient,
    RadiotherapyCourse,
    Staff,
    Visit,
)
from oligotrial.edc.services.access import ENTRY_ROLES, readable_patient
from oligotrial.edc.web.site.overview import visit_state
from oligotrial.errors import InputError


@dataclass
class LesionLine:
    lesion: Lesion
    here: LesionMeasurement | None = None  # its measurement at this visit


@dataclass
class VisitData:
    patient: Patient
    visit: Visit
    state: str
    can_enter: bool
    randomized_on: dt.date | None
    lesions: list[LesionLine]
    #: measurements of every visit done up to this one, loaded with lesion and visit
    measurements: list[LesionMeasurement]
    visits_done: list[Visit]
    labs: list[LabResult]
    rt_courses: list[RadiotherapyCourse]
    exposures: list[Exposure]
    samples: list[Biosample]
    new_therapies: list[NewAnticancerTherapy]
    death: object | None = None
    withdrawal: object | None = None
    previous: int | None = None
    following: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def open_exposures(self) -> list[Exposure]:
        return [e for e in self.exposures if e.stop_date is None]


def visit_data(actor: Staff, screening_number: str, number: int, today: dt.date) -> VisitData:
    """Everything the visit page shows, if ``actor`` may read the patient (else InputError)."""
    readable_patient(actor, screening_number)
    patient = (
        Patient.objects.select_related("site", "allocation", "death", "withdrawal")
        .filter(screening_number=screening_number)
        .get()
    )
    visits = list(Visit.objects.filter(patient=patient).order_by("number"))
    visit = next((v for v in visits if v.number == number), None)
    if visit is None:
        raise InputError("visit_number", f"patient {screening_number} has no visit {number}")
    at = visits.index(visit)
    lesions = list(Lesion.objects.filter(patient=patient).order_by("role", "code"))
    measured = list(
        LesionMeasurement.objects.filter(lesion__patient=patient, visit__number__lte=number)
        .select_related("lesion", "visit")
        .order_by("visit__number", "lesion__code")
    )
    here = {m.lesion_id: m for m in measured if m.visit_id == visit.id}
    allocation = getattr(patient, "allocation", None)
    return VisitData(
        patient=patient,
        visit=visit,
        state=visit_state(visit, today),
        can_enter=actor.role in ENTRY_ROLES and actor.site_id == patient.site_id,
        randomized_on=allocation.randomized_on if allocation else None,
        lesions=[LesionLine(les, here.get(les.id)) for les in lesions],
        measurements=measured,
        visits_done=[v for v in visits if v.status == "done" and v.number <= number],
        labs=list(LabResult.objects.filter(patient=patient, visit=visit).order_by("analyte")),
        rt_courses=list(
            RadiotherapyCourse.objects.filter(patient=patient)
            .select_related("lesion")
            .order_by("start_date", "id")
        ),
        exposures=list(Exposure.objects.filter(patient=patient).order_by("start_date", "id")),
        samples=list(Biosample.objects.filter(patient=patient).order_by("collected_on", "id")),
        new_therapies=list(
            NewAnticancerTherapy.objects.filter(patient=patient).order_by("start_date", "id")
        ),
        death=getattr(patient, "death", None),
        withdrawal=getattr(patient, "withdrawal", None),
        previous=visits[at - 1].number if at > 0 else None,
        following=visits[at + 1].number if at + 1 < len(visits) else None,
    )
