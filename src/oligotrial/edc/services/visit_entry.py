"""Entering a visit's data as a form gives it: several records in one transaction, and a
repeated submission (a double click, a form sent again from the browser's history) creating
nothing twice.

Each function locks the patient's row first (:func:`access.writable_patient`), so two
submissions of the same form run one after the other; the second finds the records the
first stored (same kind, patient, links and values) and returns them instead of adding
copies. A record stored with other values under the same identifier (a lesion measured
twice at one visit) is refused by :func:`records.record` as before. Every record is written
by :func:`records.record` (checks, audit entry, edit checks); on any error nothing of the
call is written, and the error names the entry at fault (``labs.albumin.value``,
``lesions.T1.diameter_mm``, ``new_lesions.0.organ``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models

from oligotrial.edc.models import LabResult, Lesion, LesionMeasurement, Patient, Staff, Visit
from oligotrial.edc.services.access import current_actor, require_unlocked, writable_patient
from oligotrial.edc.services.kinds import kind_of
from oligotrial.edc.services.records import record
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import field_value, require_int, require_past_date
from oligotrial.errors import InputError

#: Roles of lesions that may be added at the baseline visit and at a follow-up visit
#: (RECIST 1.1: target and non-target lesions are chosen at baseline; a lesion first seen
#: later is a new lesion).
BASELINE_ROLES = frozenset({"target", "non_target"})
FOLLOW_UP_ROLES = frozenset({"new"})


def _stored_copy(
    kind_name: str,
    patient: Patient,
    values: Mapping[str, Any],
    visit_number: object,
    lesion_code: object,
) -> models.Model | None:
    """The stored record equal to the one described, if any (None when the description
    cannot be looked up: :func:`record` then names what is wrong with it)."""
    kind = kind_of(kind_name)
    fields = {f.name: f for f in kind.model._meta.concrete_fields if not f.is_relation}
    if not isinstance(values, Mapping) or any(name not in fields for name in values):
        return None
    lookup = {
        name: field_value(fields[name], value, f"{kind.name}.{name}")
        for name, value in values.items()
    }
    if kind.model is LesionMeasurement:
        lookup["lesion__patient"] = patient
    else:
        lookup["patient"] = patient
    if visit_number is not None:
        if not isinstance(visit_number, int):
            return None
        visit = Visit.objects.filter(patient=patient, number=visit_number).first()
        if visit is None:
            return None
        lookup["visit"] = visit
    if lesion_code is not None:
        lesion = Lesion.objects.filter(patient=patient, code=lesion_code).first()
        if lesion is None:
            return None
        lookup["lesion"] = lesion
    found: models.Model | None = kind.model._default_manager.filter(**lookup).order_by("pk").first()
    return found


@atomic_service
def record_once(
    actor: Staff,
    screening_number: str,
    kind_name: str,
    values: dict[str, Any],
    *,
    visit_number: int | None = None,
    lesion_code: str | None = None,
) -> tuple[models.Model, bool]:
    """Enter one record unless the very same one is stored; returns it and whether it is new.

    "The same" is the same kind, patient, visit, lesion and values: a form sent twice."""
    actor = current_actor(actor)
    require_unlocked()
    patient = writable_patient(actor, screening_number, f"entering a {kind_name}")
    stored = _stored_copy(kind_name, patient, values, visit_number, lesion_code)
    if stored is not None:
        return stored, False
    made = record(
        actor,
        screening_number,
        kind_name,
        values,
        visit_number=visit_number,
        lesion_code=lesion_code,
    )
    return made, True


def _named(exc: InputError, prefix: str) -> InputError:
    """The error with its field placed under ``prefix`` (``lab.value`` → ``labs.alt.value``)."""
    last = exc.field.rsplit(".", 1)[-1] if exc.field else ""
    return InputError(f"{prefix}.{last}" if last else prefix, exc.problem)


@atomic_service
def record_labs(
    actor: Staff,
    screening_number: str,
    visit_number: int,
    *,
    sampled_on: dt.date | str,
    results: Sequence[Mapping[str, Any]],
) -> list[LabResult]:
    """The lab results of one sample taken at a visit, all or none.

    Each result is ``{"analyte", "value", "unit"}`` (optionally ``reference_low`` and
    ``reference_high``); an error names ``labs.<analyte>.<field>``."""
    actor = current_actor(actor)
    require_int(visit_number, "visit_number")
    day = require_past_date(sampled_on, "sampled_on")
    writable_patient(actor, screening_number, "entering lab results")
    if not results:
        raise InputError("labs", "enter at least one result")
    saved: list[LabResult] = []
    seen: set[str] = set()
    for i, result in enumerate(results):
        analyte = str(result.get("analyte", i)) if isinstance(result, Mapping) else str(i)
        if analyte in seen:
            raise InputError(f"labs.{analyte}", "entered twice in this sample")
        seen.add(analyte)
        try:
            lab, _ = record_once(
                actor,
                screening_number,
                "lab",
                {**result, "sampled_on": day},
                visit_number=visit_number,
            )
        except InputError as exc:
            raise _named(exc, f"labs.{analyte}") from None
        assert isinstance(lab, LabResult)
        saved.append(lab)
    return saved


def _visit_number_checked(patient: Patient, visit_number: int) -> Visit:
    visit = Visit.objects.filter(patient=patient, number=visit_number).first()
    if visit is None:
        raise InputError(
            "visit_number", f"patient {patient.screening_number} has no visit {visit_number}"
        )
    return visit


@atomic_service
def record_assessment(
    actor: Staff,
    screening_number: str,
    visit_number: int,
    *,
    measured_on: dt.date | str,
    measurements: Sequence[Mapping[str, Any]] = (),
    added: Sequence[Mapping[str, Any]] = (),
) -> list[LesionMeasurement]:
    """One tumour assessment (imaging on ``measured_on``) at a visit, all or none.

    ``measurements``: ``{"lesion_code", "status", "diameter_mm"}`` for lesions already
    recorded; ``added``: lesions first recorded here, ``{"code", "role", "organ", "nodal",
    "status", "diameter_mm"}`` — target or non-target at the baseline visit, new at a
    follow-up visit (RECIST 1.1). Errors name ``lesions.<code>.<field>`` or
    ``added.<row>.<field>``."""
    actor = current_actor(actor)
    require_int(visit_number, "visit_number")
    day = require_past_date(measured_on, "measured_on")
    patient = writable_patient(actor, screening_number, "entering a tumour assessment")
    visit = _visit_number_checked(patient, visit_number)
    if not measurements and not added:
        raise InputError("lesions", "enter at least one lesion")
    roles = BASELINE_ROLES if visit.number == 0 else FOLLOW_UP_ROLES
    saved: list[LesionMeasurement] = []
    for row, entry in enumerate(added):
        prefix = f"added.{row}"
        if not isinstance(entry, Mapping):
            raise InputError(prefix, "a lesion is required as a mapping of field to value")
        role = entry.get("role")
        if role not in roles:
            where = "the baseline visit" if visit.number == 0 else "a follow-up visit"
            raise InputError(
                f"{prefix}.role",
                f"a {role} lesion cannot be added at {where}; one of {', '.join(sorted(roles))}",
            )
        lesion_values = {k: entry[k] for k in ("code", "role", "organ", "nodal") if k in entry}
        try:
            record_once(actor, screening_number, "lesion", lesion_values)
        except InputError as exc:
            raise _named(exc, prefix) from None
        measured = {k: v for k, v in entry.items() if k in ("status", "diameter_mm")}
        code = entry.get("code")
        saved.append(_measure(actor, screening_number, visit.number, code, measured, day, prefix))
    for entry in measurements:
        if not isinstance(entry, Mapping):
            raise InputError("lesions", "a measurement is required as a mapping of field to value")
        code = entry.get("lesion_code")
        values = {k: v for k, v in entry.items() if k != "lesion_code"}
        prefix = f"lesions.{code}"
        saved.append(_measure(actor, screening_number, visit.number, code, values, day, prefix))
    return saved


def _measure(
    actor: Staff,
    screening_number: str,
    visit_number: int,
    code: object,
    values: dict[str, Any],
    day: dt.date,
    prefix: str,
) -> LesionMeasurement:
    try:
        made, _ = record_once(
            actor,
            screening_number,
            "measurement",
            {**values, "measured_on": day},
            visit_number=visit_number,
            lesion_code=code if isinstance(code, str) else None,
        )
    except InputError as exc:
        raise _named(exc, prefix) from None
    assert isinstance(made, LesionMeasurement)
    return made
