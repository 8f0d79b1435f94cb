"""The kinds of clinical record, each with the domain checks its values must pass.

The same checks run when a record is entered and when one of its values is corrected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from oligotrial.clinical import ctcae_terms
from oligotrial.edc.models import (
    SERIOUSNESS_CRITERIA,
    AdverseEvent,
    Biosample,
    Consent,
    Death,
    Exposure,
    LabResult,
    Lesion,
    LesionMeasurement,
    NewAnticancerTherapy,
    Patient,
    RadiotherapyCourse,
    Visit,
    Withdrawal,
)
from oligotrial.edc.services.edit_checks import PLAUSIBLE_LABS, convertible_unit
from oligotrial.edc.services.validation import in_order, in_range, not_future, require_text
from oligotrial.edc.trial_config import current_config
from oligotrial.errors import InputError

UNITLESS = frozenset({"inr"})
#: The analytes a lab result may record: those the unit table (clinical.units) and the edit
#: checks know, so that every stored value can be converted and checked.
ANALYTES: tuple[str, ...] = tuple(PLAUSIBLE_LABS)


def randomized_on(patient: Patient) -> dt.date | None:
    allocation = getattr(patient, "allocation", None)
    return allocation.randomized_on if allocation is not None else None


def _after_randomization(patient: Patient, day: dt.date | None, field: str) -> None:
    start = randomized_on(patient)
    if start is None:
        raise InputError(
            field,
            f"patient {patient.screening_number} is not randomized; "
            "no follow-up data can be entered yet",
        )
    in_order(start, day, "the randomization date", field)


def _before_death(patient: Patient, day: dt.date | None, field: str) -> None:
    death = Death.objects.filter(patient=patient).first()
    if death is not None and day is not None and day > death.death_date:
        raise InputError(field, f"{day} is after the recorded death on {death.death_date}")


def _dated(patient: Patient, day: dt.date | None, field: str, *, follow_up: bool) -> None:
    if day is not None:
        not_future(day, field)
    if follow_up:
        _after_randomization(patient, day, field)
    _before_death(patient, day, field)


def check_lab(lab: LabResult, p: Patient) -> None:
    """Analyte from the vocabulary (stored by its canonical name), a unit known for it."""
    analyte = lab.analyte.strip().lower()
    if analyte not in ANALYTES:
        raise InputError(
            "analyte", f"unknown analyte {lab.analyte!r}; one of {', '.join(ANALYTES)}"
        )
    lab.analyte = analyte
    _dated(p, lab.sampled_on, "sampled_on", follow_up=False)
    if not lab.unit.strip() and analyte not in UNITLESS:
        raise InputError("unit", f"the unit of {lab.analyte} is required")
    convertible_unit(analyte, lab.unit)
    if lab.value is not None and lab.value < 0:
        raise InputError("value", f"{lab.value} is negative")
    if (
        lab.reference_low is not None
        and lab.reference_high is not None
        and lab.reference_low > lab.reference_high
    ):
        raise InputError("reference_low", "the reference range is inverted")


def check_lesion(lesion: Lesion, p: Patient) -> None:
    if not lesion.code.strip():
        raise InputError("code", "a lesion code is required (T1, NT1, N1…)")


def check_measurement(m: LesionMeasurement, p: Patient) -> None:
    _dated(p, m.measured_on, "measured_on", follow_up=m.visit.number > 0)
    in_range(m.diameter_mm, 0, 1000, "diameter_mm", "mm")
    if m.status in {"absent"} and m.diameter_mm not in (None, 0):
        raise InputError("diameter_mm", "an absent lesion has no diameter")


def bed(total_gy: float, fractions: int, alpha_beta: float) -> float:
    """Biologically effective dose: D · (1 + d / (α/β)) (Fowler, Br J Radiol 1989)."""
    return total_gy * (1 + total_gy / fractions / alpha_beta)


def check_rt(rt: RadiotherapyCourse, p: Patient) -> None:
    _dated(p, rt.start_date, "start_date", follow_up=True)
    in_order(rt.start_date, rt.end_date, "start_date", "end_date")
    in_range(rt.total_dose_gy, 0.5, 150, "total_dose_gy", "Gy")
    in_range(rt.fractions, 1, 60, "fractions")
    in_range(rt.alpha_beta_gy, 0.5, 20, "alpha_beta_gy", "Gy")
    in_range(rt.total_dose_gy / rt.fractions, 0.5, 35, "dose per fraction", "Gy")
    rt.bed_gy = round(bed(rt.total_dose_gy, rt.fractions, rt.alpha_beta_gy), 3)


def check_exposure(e: Exposure, p: Patient) -> None:
    _dated(p, e.start_date, "start_date", follow_up=e.line == "SLST")
    in_order(e.start_date, e.stop_date, "start_date", "stop_date")
    if e.dose <= 0:
        raise InputError("dose", "the dose must be positive")


def check_seriousness(ae: AdverseEvent) -> None:
    """ICH E2A: an event is serious when it meets a seriousness criterion, so "serious"
    needs at least one criterion and a criterion needs "serious"; a fatal event (grade 5,
    outcome fatal) is serious and results in death, and only a fatal event results in death."""
    fatal = ae.grade == 5 or ae.outcome == "fatal"
    ticked = [name for name in SERIOUSNESS_CRITERIA if getattr(ae, name)]
    if fatal and not ae.serious:
        raise InputError("serious", "a fatal event (grade 5) is serious; tick serious")
    if fatal and not ae.sae_death:
        raise InputError("sae_death", "a fatal event (grade 5) results in death; tick it")
    if ae.sae_death and not fatal:
        raise InputError(
            "sae_death", "only a fatal event (grade 5, outcome fatal) results in death"
        )
    if ticked and not ae.serious:
        raise InputError(
            ticked[0], "a seriousness criterion is ticked, so the event is serious; tick serious"
        )
    if ae.serious and not ticked:
        raise InputError(
            "serious",
            "a serious event needs at least one seriousness criterion (ICH E2A); "
            "tick those it meets",
        )


def check_ae(ae: AdverseEvent, p: Patient) -> None:
    """A CTCAE v5.0 term (stored in CTCAE's spelling) at a grade CTCAE defines for it; the
    seriousness criteria as :func:`check_seriousness` requires."""
    term = ctcae_terms.lookup(ae.term, "term")
    ae.term = term.term
    in_range(ae.grade, 1, 5, "grade")
    ctcae_terms.check_grade(term, ae.grade, "grade")
    _dated(p, ae.onset_date, "onset_date", follow_up=False)
    consent = p.consents.order_by("signed_on").first()
    if consent is None:
        raise InputError("onset_date", "adverse events are recorded after consent; none is")
    in_order(consent.signed_on, ae.onset_date, "the consent date", "onset_date")
    in_order(ae.onset_date, ae.resolved_date, "onset_date", "resolved_date")
    if (ae.grade == 5) != (ae.outcome == "fatal"):
        raise InputError("outcome", "grade 5 and a fatal outcome go together")
    check_seriousness(ae)


def check_biosample(s: Biosample, p: Patient) -> None:
    config = current_config()
    points = config.ctdna_time_points if s.kind == "ctdna" else config.biopsy_time_points
    if s.time_point not in points:
        raise InputError(
            "time_point",
            f"{s.time_point!r} is not a {s.kind} time point of the protocol ({', '.join(points)})",
        )
    if s.status == "missing":
        if s.collected_on is not None:
            raise InputError("collected_on", "a missing sample has no collection date")
        if not s.missing_reason.strip():
            raise InputError("missing_reason", "give the reason the sample is missing")
        return
    if s.collected_on is None:
        raise InputError("collected_on", "the collection date is required")
    _dated(p, s.collected_on, "collected_on", follow_up=s.time_point != "baseline")
    last_name, last = "collected_on", s.collected_on
    for name in ("processed_on", "shipped_on", "received_on"):
        day = getattr(s, name)
        if day is not None:
            not_future(day, name)
            in_order(last, day, last_name, name)
            last_name, last = name, day


def check_new_therapy(t: NewAnticancerTherapy, p: Patient) -> None:
    _dated(p, t.start_date, "start_date", follow_up=True)


def check_death(d: Death, p: Patient) -> None:
    not_future(d.death_date, "death_date")
    _after_randomization(p, d.death_date, "death_date")
    for name, model, field in (("visit", Visit, "visit_date"), ("lab", LabResult, "sampled_on")):
        latest = (
            model.objects.filter(patient=p)
            .exclude(**{f"{field}__isnull": True})
            .order_by(f"-{field}")
            .values_list(field, flat=True)
            .first()
        )
        if latest is not None and latest > d.death_date:
            raise InputError(
                "death_date", f"a {name} is recorded on {latest}, after {d.death_date}"
            )


def check_visit(v: Visit, p: Patient) -> None:
    if v.visit_date is None:
        if v.status == "done":
            raise InputError("visit_date", "a visit that took place needs its date")
        return
    not_future(v.visit_date, "visit_date")
    if v.status != "done":
        raise InputError("status", "a dated visit is done; set the status to done")
    start = randomized_on(p)
    if start is not None and v.number > 0:
        in_order(start, v.visit_date, "the randomization date", "visit_date")
    _before_death(p, v.visit_date, "visit_date")


def check_consent(c: Consent, p: Patient) -> None:
    """Signed by now, after birth, before randomization and before any adverse event's onset
    (events are recorded from consent on); withdrawn, if at all, after signing."""
    c.version = require_text(c.version, "version", max_length=32, blank=False).strip()
    not_future(c.signed_on, "signed_on")
    if p.birth_date is not None:
        in_order(p.birth_date, c.signed_on, "birth_date", "signed_on")
    start = randomized_on(p)
    if start is not None:
        in_order(c.signed_on, start, "signed_on", "the randomization date")
    if c.pk is not None:
        first_ae = p.adverse_events.order_by("onset_date").values_list("onset_date", flat=True)
        onset = first_ae.first()
        if onset is not None:
            in_order(c.signed_on, onset, "signed_on", "the first adverse event's onset")
    if c.withdrawn_on is not None:
        not_future(c.withdrawn_on, "withdrawn_on")
        in_order(c.signed_on, c.withdrawn_on, "signed_on", "withdrawn_on")


def check_withdrawal(w: Withdrawal, p: Patient) -> None:
    not_future(w.effective_date, "effective_date")
    in_order(w.last_known_alive, w.effective_date, "last_known_alive", "effective_date")


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    check: Callable[..., None]
    #: fields a correction may not change (links to other records).
    fixed: tuple[str, ...] = ("id", "patient")


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("lab", LabResult, check_lab, ("id", "patient", "visit")),
        Kind("lesion", Lesion, check_lesion),
        Kind("measurement", LesionMeasurement, check_measurement, ("id", "lesion", "visit")),
        Kind("rt_course", RadiotherapyCourse, check_rt, ("id", "patient", "bed_gy")),
        Kind("exposure", Exposure, check_exposure),
        Kind("adverse_event", AdverseEvent, check_ae),
        Kind("consent", Consent, check_consent, ("id", "patient", "obtained_by")),
        # status and the custody dates move only through the sample services' steps
        Kind(
            "biosample",
            Biosample,
            check_biosample,
            ("id", "patient", "status", "shipped_on", "received_on"),
        ),
        Kind("new_therapy", NewAnticancerTherapy, check_new_therapy),
        Kind("death", Death, check_death),
        Kind("withdrawal", Withdrawal, check_withdrawal),
        Kind(
            "visit",
            Visit,
            check_visit,
            ("id", "patient", "number", "kind", "due_date", "window_days"),
        ),
    )
}


def kind_of(name: str) -> Kind:
    if not isinstance(name, str) or name not in KINDS:
        raise InputError("kind", f"unknown record kind {name!r}; one of {', '.join(KINDS)}")
    return KINDS[name]


def patient_of(instance: models.Model) -> Patient:
    if isinstance(instance, LesionMeasurement):
        return instance.lesion.patient
    patient = getattr(instance, "patient", None)
    assert isinstance(patient, Patient)
    return patient
