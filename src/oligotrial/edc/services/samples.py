"""Biosamples from draw to shipment and receipt: one transaction per step, each step a
chain-of-custody event and audit entries (the sample's change and the event).

A sample is collected (or declared missing, with the reason) at one of the protocol's time
points (``schedule.ctdna`` / ``schedule.biopsy``), processed, shipped to the laboratory and
received there; the laboratory's results file then marks it analysed
(:mod:`oligotrial.edc.services.sample_results`). Each step follows the one before: a
sample is shipped only after collection, received only after shipment, and never dated
before the step it follows (:func:`oligotrial.edc.services.kinds.check_biosample`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oligotrial.edc.models import Biosample, CustodyEvent, Patient, SampleStatus, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_unlocked, writable_patient
from oligotrial.edc.services.kinds import check_biosample
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import clean, require_past_date, require_text
from oligotrial.edc.trial_config import current_config
from oligotrial.errors import InputError, StateError

KIND_CODES = {"ctdna": "CT", "biopsy": "BX"}
#: step -> (status it requires, status it leaves, date field it sets)
STEPS: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    "processed": ((SampleStatus.COLLECTED,), None, "processed_on"),
    "shipped": ((SampleStatus.COLLECTED,), SampleStatus.SHIPPED, "shipped_on"),
    "received": ((SampleStatus.SHIPPED,), SampleStatus.RECEIVED, "received_on"),
}


def time_points(kind: str) -> tuple[str, ...]:
    config = current_config()
    if kind not in KIND_CODES:
        raise InputError("kind", f"{kind!r} is not a sample kind ({', '.join(KIND_CODES)})")
    return config.ctdna_time_points if kind == "ctdna" else config.biopsy_time_points


def label_identifier(screening_number: str, kind: str, time_point: str) -> str:
    """The tube label: screening number, kind code and the time point's place in the
    protocol's list (``S01-0001-CT2``: the second ctDNA time point)."""
    points = time_points(kind)
    if time_point not in points:
        raise InputError("time_point", f"{time_point!r} is not a {kind} time point")
    return f"{screening_number}-{KIND_CODES[kind]}{points.index(time_point) + 1}"


def _custody(
    actor: Staff, patient: Patient, sample: Biosample, event: str, on: dt.date, **extra: str
) -> None:
    entry = CustodyEvent(sample=sample, event=event, on=on, recorded_by=actor, **extra)
    clean(entry, "custody", exclude=("recorded_by", "sample"))
    entry.save()
    audit.append(
        actor, "create", entry, audit.changes_between(None, audit.snapshot(entry)), patient=patient
    )


def _new_sample(actor: Staff, patient: Patient, sample: Biosample) -> Biosample:
    check_biosample(sample, patient)
    clean(sample, "sample", exclude=("patient",))
    if Biosample.objects.filter(
        patient=patient, kind=sample.kind, time_point=sample.time_point
    ).exists():
        raise InputError(
            "time_point",
            f"a {sample.kind} sample at {sample.time_point} is already recorded for "
            f"{patient.screening_number}",
        )
    if Biosample.objects.filter(identifier=sample.identifier).exists():
        raise InputError("identifier", f"label {sample.identifier} is already in use")
    sample.save()
    audit.append(
        actor,
        "create",
        sample,
        audit.changes_between(None, audit.snapshot(sample)),
        patient=patient,
    )
    return sample


@atomic_service
def collect_sample(
    actor: Staff,
    screening_number: str,
    *,
    kind: str,
    time_point: str,
    collected_on: Any,
    processed_on: Any = None,
    storage_location: str = "",
    identifier: str | None = None,
) -> Biosample:
    """Record a sample drawn (and, if given, processed); its label is generated unless the
    tube already carries one."""
    actor = current_actor(actor)
    require_unlocked()
    patient = writable_patient(actor, screening_number, "recording a sample")
    kind = require_text(kind, "kind", max_length=8)
    time_point = require_text(time_point, "time_point", max_length=40)
    label = label_identifier(patient.screening_number, kind, time_point)
    if identifier:
        label = require_text(identifier, "identifier", max_length=64).strip()
    collected = require_past_date(collected_on, "collected_on")
    processed = (
        None if processed_on in (None, "") else require_past_date(processed_on, "processed_on")
    )
    location = require_text(storage_location, "storage_location", max_length=120).strip()
    sample = Biosample(
        patient=patient,
        kind=kind,
        time_point=time_point,
        identifier=label,
        collected_on=collected,
        processed_on=processed,
        storage_location=location,
    )
    _new_sample(actor, patient, sample)
    _custody(actor, patient, sample, "collected", collected, location=location)
    if processed is not None:
        _custody(actor, patient, sample, "processed", processed, location=location)
    return sample


@atomic_service
def record_missing_sample(
    actor: Staff, screening_number: str, *, kind: str, time_point: str, reason: str
) -> Biosample:
    """Record that a sample of the schedule was not obtained, and why."""
    actor = current_actor(actor)
    require_unlocked()
    patient = writable_patient(actor, screening_number, "recording a missing sample")
    kind = require_text(kind, "kind", max_length=8)
    time_point = require_text(time_point, "time_point", max_length=40)
    sample = Biosample(
        patient=patient,
        kind=kind,
        time_point=time_point,
        identifier=label_identifier(patient.screening_number, kind, time_point),
        status=SampleStatus.MISSING,
        missing_reason=require_text(reason, "missing_reason", max_length=200).strip(),
    )
    _new_sample(actor, patient, sample)
    _custody(actor, patient, sample, "missing", dt.date.today(), note=sample.missing_reason)
    return sample


@atomic_service
def advance_sample(
    actor: Staff,
    screening_number: str,
    identifier: str,
    *,
    step: str,
    on: Any,
    location: str = "",
    note: str = "",
) -> Biosample:
    """Process, ship (``location``: the destination) or receive (``location``: where it is
    stored) a sample of the patient."""
    actor = current_actor(actor)
    require_unlocked()
    patient = writable_patient(actor, screening_number, "recording a sample's custody")
    if step not in STEPS:
        raise InputError("step", f"{step!r} is not one of {', '.join(STEPS)}")
    label = require_text(identifier, "identifier", max_length=64)
    sample = Biosample.objects.select_for_update().filter(patient=patient, identifier=label).first()
    if sample is None:
        raise InputError("identifier", f"{screening_number} has no sample labelled {label!r}")
    needs, leaves, field = STEPS[step]
    if sample.status not in needs:
        raise StateError(
            f"sample {label} is {sample.status}; it cannot be {step} "
            f"(it must be {' or '.join(needs)})"
        )
    if step == "processed" and sample.processed_on is not None:
        raise StateError(f"sample {label} was already processed on {sample.processed_on}")
    day = require_past_date(on, "on")
    where = require_text(location, "location", max_length=120).strip()
    remark = require_text(note, "note", max_length=200).strip()
    before = audit.snapshot(sample)
    setattr(sample, field, day)
    if leaves is not None:
        sample.status = leaves
    if step == "received" and where:
        sample.storage_location = where
    try:
        check_biosample(sample, patient)
    except InputError as exc:
        raise InputError("on", exc.problem) from None
    sample.save()
    audit.append(
        actor,
        "status",
        sample,
        audit.changes_between(before, audit.snapshot(sample)),
        patient=patient,
    )
    _custody(actor, patient, sample, step, day, location=where, note=remark)
    return sample
