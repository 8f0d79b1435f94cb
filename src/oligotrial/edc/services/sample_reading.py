"""Reading samples: a patient's samples against the protocol's schedule (expected, overdue,
recorded with their custody), and the analysed results for the exploratory analyses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oligotrial.edc.models import Biosample, CustodyEvent, Patient, Role, SampleResult, Staff
from oligotrial.edc.services.access import readable_patient, require_role
from oligotrial.edc.trial_config import current_protocol
from oligotrial.exploratory import (
    BiopsyGenes,
    CtdnaObservation,
    DueSample,
    ExploratoryData,
    due_samples,
)

ANALYSIS_ROLES = frozenset({Role.STATISTICIAN, Role.DATA_MANAGER})


@dataclass(frozen=True)
class SampleRow:
    kind: str
    time_point: str
    due: DueSample | None
    sample: Biosample | None
    overdue: bool
    custody: tuple[CustodyEvent, ...]

    @property
    def state(self) -> str:
        if self.sample is not None:
            return str(self.sample.status)
        return "overdue" if self.overdue else "expected"


def _progression_on(samples: list[Biosample], anchored: set[str]) -> dt.date | None:
    """Progression as the site recorded it: the first sample drawn at a time point the
    protocol anchors on progression (the EDC stores no progression date of its own; the
    endpoint engine derives it from the scans)."""
    days = [s.collected_on for s in samples if s.time_point in anchored and s.collected_on]
    return min(days) if days else None


def patient_samples(actor: Staff, screening_number: str, today: dt.date) -> list[SampleRow]:
    """The protocol's sample time points for the patient, each with its recorded sample (if
    any), its window and whether it is overdue; empty before randomization."""
    patient = readable_patient(actor, screening_number)
    return samples_of(patient, today)


def samples_of(patient: Patient, today: dt.date) -> list[SampleRow]:
    allocation = getattr(patient, "allocation", None)
    recorded = list(
        Biosample.objects.filter(patient=patient).prefetch_related("custody").order_by("id")
    )
    if allocation is None:
        return []
    rt_end = (
        patient.rt_courses.exclude(end_date__isnull=True)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    return sample_rows(allocation.randomized_on, rt_end, recorded, today)


def sample_rows(
    randomized_on: dt.date,
    rt_end: dt.date | None,
    recorded: list[Biosample],
    today: dt.date,
    *,
    with_custody: bool = True,
) -> list[SampleRow]:
    """The protocol's time points of a patient randomized on ``randomized_on`` against its
    ``recorded`` samples: one row per time point (overdue when its window has closed with
    no sample recorded), then the recorded samples of no scheduled time point."""
    schedule = current_protocol().schedule
    due = due_samples(
        {"ctdna": schedule.ctdna, "biopsy": schedule.biopsy},
        schedule.sample_windows,
        randomized_on=randomized_on,
        rt_end=rt_end,
        progression_on=_progression_on(
            recorded,
            {n for n, w in schedule.sample_windows.items() if w.anchor == "progression"},
        ),
    )

    def custody(sample: Biosample | None) -> tuple[CustodyEvent, ...]:
        return tuple(sample.custody.all()) if sample is not None and with_custody else ()

    by_point = {(s.kind, s.time_point): s for s in recorded}
    rows = []
    for d in due:
        sample = by_point.pop((d.kind, d.time_point), None)
        late = sample is None and d.overdue(today)
        rows.append(SampleRow(d.kind, d.time_point, d, sample, late, custody(sample)))
    rows += [SampleRow(s.kind, s.time_point, None, s, False, custody(s)) for s in by_point.values()]
    return rows


def overdue_samples(patient: Patient, today: dt.date) -> list[SampleRow]:
    return [r for r in samples_of(patient, today) if r.overdue]


def exploratory_data(actor: Staff) -> ExploratoryData:
    """Every analysed sample of the randomized patients, days counted from randomization."""
    require_role(actor, ANALYSIS_ROLES, "reading the laboratory results")
    results = SampleResult.objects.select_related("sample__patient__allocation").prefetch_related(
        "mutations"
    )
    ctdna, biopsies = [], []
    for r in results:
        s = r.sample
        allocation = getattr(s.patient, "allocation", None)
        if allocation is None or s.collected_on is None:
            continue
        subject, arm = s.patient.screening_number, allocation.arm
        if s.kind == "ctdna" and r.ctdna_detected is not None:
            ctdna.append(
                CtdnaObservation(
                    subject,
                    arm,
                    s.time_point,
                    (s.collected_on - allocation.randomized_on).days,
                    r.ctdna_detected,
                    r.max_vaf_percent,
                )
            )
        elif s.kind == "biopsy":
            genes = frozenset(m.gene for m in r.mutations.all())
            biopsies.append(BiopsyGenes(subject, arm, s.time_point, genes))
    schedule = current_protocol().schedule
    return ExploratoryData(tuple(ctdna), tuple(biopsies), schedule.ctdna, schedule.biopsy)
