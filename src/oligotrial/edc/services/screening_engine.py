"""The one eligibility engine run on a screening record, and the record version stored.

The record is validated with the strict record model
(:class:`oligotrial.eligibility.record.ScreeningRecord`, dates checked against today) and
stored as JSON with the version of its schema. Verdicts, the facts the criteria used
(Child-Pugh score, BCLC stage, lesion counts...), the overall verdict and the stratification
factors are derived from it by :func:`oligotrial.eligibility.evaluate` and
:func:`oligotrial.eligibility.strata.stratum_values` with the protocol in force, and stored
beside it with the protocol and software versions (DESIGN.md, "One record, one path").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from oligotrial import __version__
from oligotrial.edc.models import Patient, Screening, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.validation import (
    EARLIEST_DATE,
    require_storable_tree,
    today,
)
from oligotrial.edc.trial_config import current_protocol
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.reading import record_from_data
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.strata import stratum_values
from oligotrial.errors import InputError

SEX = {"female": "F", "male": "M"}


@cache
def record_schema() -> str:
    """The version of the record schema: a digest of the record model's JSON Schema, so
    any change of the model (a field added, a limit moved) is a new version."""
    schema = json.dumps(ScreeningRecord.model_json_schema(), sort_keys=True)
    return "ScreeningRecord/sha256:" + hashlib.sha256(schema.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Evaluation:
    """A validated record and everything the engine derived from it."""

    record: ScreeningRecord
    data: dict[str, Any]  # the record as stored (JSON)
    overall: str
    verdicts: list[dict[str, Any]]
    facts: dict[str, Any]
    strata: dict[str, str | None]

    @property
    def eligible(self) -> bool:
        return self.overall == "eligible"


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def validate_record(data: Mapping[str, Any] | ScreeningRecord) -> ScreeningRecord:
    """Validate a record (a mapping, or a record model validated again against today);
    the first problem is an :class:`InputError` naming ``record.<path>``."""
    raw = data.model_dump(mode="json") if isinstance(data, ScreeningRecord) else data
    try:
        record = record_from_data(dict(raw) if isinstance(raw, Mapping) else raw, as_of=today())
    except InputError as exc:
        inner = "" if exc.field in ("", "(record)") else f".{exc.field}"
        raise InputError(f"record{inner}", exc.problem) from None
    require_storable_tree(record.model_dump(mode="json"), "record")
    for path, day in record.dates():
        if day < EARLIEST_DATE:
            raise InputError(f"record.{path}", f"{day} is before {EARLIEST_DATE}")
    return record


def run_engine(record: ScreeningRecord) -> Evaluation:
    """Evaluate ``record`` against the protocol in force."""
    protocol = current_protocol()
    result = evaluate(protocol, record)
    verdicts = _json(result.to_dict()["criteria"])
    facts: dict[str, Any] = {}
    for criterion in verdicts:
        facts.update(criterion.get("values", {}))
    return Evaluation(
        record=record,
        data=record.model_dump(mode="json"),
        overall=result.overall,
        verdicts=verdicts,
        facts=facts,
        strata=stratum_values(protocol, record),
    )


def evaluate_record(data: Mapping[str, Any] | ScreeningRecord) -> Evaluation:
    """Validate ``data`` and run the engine on it."""
    return run_engine(validate_record(data))


def latest_screening(patient: Patient) -> Screening | None:
    """The record version in force (the newest)."""
    return patient.screenings.order_by("-version").first()


def store_version(
    actor: Staff,
    patient: Patient,
    evaluation: Evaluation,
    *,
    origin: str,
    reason: str = "",
) -> Screening:
    """Store ``evaluation`` as the patient's next record version (audited)."""
    latest = latest_screening(patient)
    protocol = current_protocol()
    row = Screening.objects.create(
        patient=patient,
        version=(latest.version + 1) if latest is not None else 1,
        origin=origin,
        reason=reason,
        screened_on=evaluation.record.screening_date,
        record=evaluation.data,
        record_schema=record_schema(),
        protocol_id=protocol.id,
        protocol_version=protocol.version,
        software_version=__version__,
        eligible=evaluation.eligible,
        overall=evaluation.overall,
        verdicts=evaluation.verdicts,
        facts=evaluation.facts,
        strata=evaluation.strata,
    )
    audit.append(
        actor,
        "create",
        row,
        audit.changes_between(None, audit.snapshot(row)),
        reason=reason,
        patient=patient,
    )
    return row


def demographics(record: ScreeningRecord) -> dict[str, Any]:
    """The patient row's values the record decides: birth date and sex."""
    return {"birth_date": record.birth_date, "sex": SEX.get(record.sex or "", "U")}
