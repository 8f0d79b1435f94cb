"""Entering one synthetic patient's follow-up through the services, as a site would.

Per patient, in the order a site records it: the visit schedule (from the protocol), the
baseline visit with the baseline lesions, their measurements and labs; systemic therapy
exposure (FLST, and SLST in arm B) and the RT course (arm A); each scheduled scan as done
(with every lesion's measurement and any new lesion) or missed; adverse events; ctDNA
samples; new anticancer therapy; loss to follow-up; death. One transaction per patient
(the services join it), so a patient's data are entered completely or not at all; every
record still gets its own audit entry and edit checks.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from itertools import takewhile
from typing import Any

from django.db import transaction

from oligotrial.clinical.lesion import Lesion
from oligotrial.demo.samples import enter_samples
from oligotrial.edc.models import Staff
from oligotrial.protocol import load_protocol
from oligotrial.protocol.schedule import scheduled_assessments
from oligotrial.synth import TrialPatient
from oligotrial.synth.records import SynthLesion
from oligotrial.synth.safety import RILD

SLST_DOSE = {
    "regorafenib": (160.0, "mg/day"),
    "apatinib": (750.0, "mg/day"),
    "cabozantinib": (60.0, "mg/day"),
}
#: RT course by its length in days: (total dose Gy, fractions)
RT_FRACTIONATION = {5: (40.0, 5), 7: (50.0, 5), 10: (50.0, 10), 14: (60.0, 10)}
TARGET_STATUS = {
    "measured": "present",
    "gone": "absent",
    "not-assessed": "not_evaluated",
    "too-small": "too_small",
}
NON_TARGET_STATUS = {
    "present": "present",
    "absent": "absent",
    "not-assessed": "not_evaluated",
    "unequivocal-progression": "unequivocal_pd",
}
NEW_THERAPY = "Transarterial chemoembolization"
#: the synthetic scans are CT with 5 mm slices (see oligotrial.synth.records)
SLICE_THICKNESS_MM = 5.0


@cache
def _schedule() -> tuple[Any, ...]:
    return tuple(load_protocol().schedule.assessments)


def _visit_numbers(max_day: int) -> dict[int, int]:
    """Target day after randomization -> scheduled visit number (the protocol's rule)."""
    return {
        a.day: a.number
        for a in takewhile(lambda a: a.day <= max_day, scheduled_assessments(_schedule()))
    }


def _lesion(lesion: SynthLesion, role: str) -> dict[str, Any]:
    values = {
        "code": lesion.lesion_id,
        "role": role,
        "organ": lesion.organ,
        "nodal": lesion.nodal,
        "oligoprogressive": lesion.progressing,
        "previously_irradiated": lesion.previously_irradiated,
    }
    if lesion.previously_irradiated:  # as the screening record states it
        values["progressed_after_rt"] = lesion.progressing
    return values


def _baseline_size(lesion: SynthLesion, role: str) -> float | None:
    if role == "target":
        return lesion.target_size_mm
    return lesion.short_axis_mm if lesion.nodal else lesion.longest_diameter_mm


class FollowUpEntry:
    """Enters patients' follow-up for one trial (data cut-off ``cutoff``)."""

    def __init__(self, coordinators: dict[str, Staff], cutoff: dt.date) -> None:
        self.coordinators = coordinators
        self.cutoff = cutoff
        self.received: list[Any] = []  # samples at the laboratory, with their labels

    def enter(self, p: TrialPatient) -> None:
        with transaction.atomic():
            patient = _Patient(self.coordinators[p.candidate.site], p, self.cutoff)
            patient.enter()
        self.received += patient.received


class _Patient:
    def __init__(self, actor: Staff, p: TrialPatient, cutoff: dt.date) -> None:
        from oligotrial.edc import services

        self.s = services
        self.actor = actor
        self.p = p
        self.sn = p.candidate.candidate_id
        self.cutoff = cutoff
        self.alive_to = p.last_known_alive_day
        self.received: list[Any] = []

    def day(self, d: int) -> dt.date:
        return self.p.randomized + dt.timedelta(days=d)

    def record(self, kind: str, values: dict[str, Any], **links: Any) -> Any:
        return self.s.record(self.actor, self.sn, kind, values, **links)

    def enter(self) -> None:
        weeks = math.ceil((self.cutoff - self.p.randomized).days / 7) + 2
        self.s.schedule_visits(self.actor, self.sn, horizon_weeks=min(max(weeks, 1), 520))
        self.baseline()
        self.treatment()
        self.scans()
        self.events()

    def baseline(self) -> None:
        p = self.p
        self.s.record_visit(self.actor, self.sn, 0, visit_date=p.randomized)
        lesions = [(x, "target") for x in p.baseline.targets] + [
            (x, "non_target") for x in p.baseline.non_targets
        ]
        for lesion, role in lesions:
            self.record("lesion", _lesion(lesion, role))
            self.record(
                "measurement",
                {
                    "measured_on": p.randomized,
                    "diameter_mm": _baseline_size(lesion, role),
                    "slice_thickness_mm": SLICE_THICKNESS_MM,
                },
                visit_number=0,
                lesion_code=lesion.lesion_id,
            )
        for lab in p.candidate.labs:
            self.record(
                "lab",
                {
                    "analyte": lab.analyte,
                    "value": lab.value,
                    "unit": "" if lab.analyte == "inr" else lab.unit,
                    "reference_low": lab.low,
                    "reference_high": lab.high,
                    "sampled_on": lab.collected,
                },
                visit_number=0,
            )

    def treatment(self) -> None:
        p = self.p
        stop = (
            None
            if p.treatment_end_reason == "ongoing at cut-off"
            else self.day(min(p.treatment_end_day, self.alive_to))
        )
        flst = p.candidate.flst
        self.record(
            "exposure",
            {
                "line": "FLST",
                "drug": flst.regimen_name,
                "dose": 1.0,
                "dose_unit": "label dose",
                "start_date": flst.start,
                "stop_date": stop if p.arm == "A" else p.randomized,
            },
        )
        if p.arm == "B" and p.treatment_start_day <= self.alive_to:
            dose, unit = SLST_DOSE.get(p.treatment, (1.0, "label dose"))
            start = self.day(p.treatment_start_day)
            self.record(
                "exposure",
                {
                    "line": "SLST",
                    "drug": p.treatment,
                    "dose": dose,
                    "dose_unit": unit,
                    "start_date": start,
                    "stop_date": None if stop is None else max(stop, start),
                },
            )
        if p.rt_days is not None and p.rt_days[0] <= self.alive_to:
            total, fractions = RT_FRACTIONATION[p.rt_days[1] - p.rt_days[0]]
            organs = sorted({x.organ for x in p.candidate.lesions if x.progressing})
            self.record(
                "rt_course",
                {
                    "target_site": ", ".join(organs),
                    "total_dose_gy": total,
                    "fractions": fractions,
                    "start_date": self.day(p.rt_days[0]),
                    "end_date": self.day(min(p.rt_days[1], self.alive_to)),
                },
            )

    def scans(self) -> None:
        p = self.p
        numbers = _visit_numbers((self.cutoff - p.randomized).days + 14)
        for nominal in p.missed_visit_days:
            self.s.record_visit(self.actor, self.sn, numbers[nominal], visit_date=None, missed=True)
        for a in p.assessments:
            number = numbers[a.nominal_day]
            self.s.record_visit(self.actor, self.sn, number, visit_date=a.date)
            for m in a.targets:
                self.record(
                    "measurement",
                    {
                        "measured_on": a.date,
                        "status": TARGET_STATUS[m.status],
                        "diameter_mm": m.size_mm if m.status == "measured" else None,
                    },
                    visit_number=number,
                    lesion_code=m.lesion_id,
                )
            for lesion_id, status in a.non_targets:
                self.record(
                    "measurement",
                    {"measured_on": a.date, "status": NON_TARGET_STATUS[status]},
                    visit_number=number,
                    lesion_code=lesion_id,
                )
            for k, (organ, size) in enumerate(a.new_lesions, start=1):
                code = f"N{k}-{a.nominal_day}"
                self.record(
                    "lesion",
                    {"code": code, "role": "new", "organ": organ, "nodal": Lesion(organ).is_nodal},
                )
                self.record(
                    "measurement",
                    {"measured_on": a.date, "status": "unequivocal_pd", "diameter_mm": size},
                    visit_number=number,
                    lesion_code=code,
                )

    def events(self) -> None:
        p = self.p
        rt_terms = {RILD, "Pneumonitis", "Dermatitis radiation"}
        for ae in p.adverse_events:
            attribution = "probable" if ae.related else "unrelated"
            related = (
                "related_slst"
                if p.arm == "B"
                else "related_rt"
                if ae.term in rt_terms
                else "related_flst"
            )
            self.record(
                "adverse_event",
                {
                    "term": ae.term,
                    "grade": ae.grade,
                    "onset_date": self.day(ae.onset_day),
                    "serious": ae.serious,
                    **dict.fromkeys(ae.criteria, True),
                    related: attribution,
                    "outcome": "fatal" if ae.grade == 5 else "not_recovered",
                },
            )
        self.received = enter_samples(self.actor, self.sn, p, self.cutoff)
        if p.new_therapy_day is not None:
            self.record(
                "new_therapy", {"therapy": NEW_THERAPY, "start_date": self.day(p.new_therapy_day)}
            )
        if p.dropout_day is not None:
            self.record(
                "withdrawal",
                {
                    "kind": "lost",
                    "reason": "lost to follow-up",
                    "last_known_alive": self.day(p.last_known_alive_day),
                    "effective_date": self.day(p.dropout_day),
                },
            )
        if p.death_day is not None:
            progressed = p.progression_day is not None and p.progression_day <= p.death_day
            self.record(
                "death",
                {
                    "death_date": self.day(p.death_day),
                    "cause": "progression" if progressed else "other",
                },
            )
