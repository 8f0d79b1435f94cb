"""Screening a patient from a screening record through the eligibility engine.

The record (the eligibility package's ``ScreeningRecord``) is validated, evaluated against
the protocol in force, and stored with every verdict and the protocol version; the
stratification factors are read from it: ``flst_ici`` from ``flst.contains_ici``,
``oligoprogression_site`` from the progressing lesions (all in the liver and not nodal:
intrahepatic-only; otherwise any-extrahepatic).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from oligotrial.edc.models import Screening, Staff
from oligotrial.edc.services.screening import screen
from oligotrial.edc.services.validation import today
from oligotrial.edc.trial_config import current_protocol
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.errors import InputError

SEX = {"female": "F", "male": "M", None: "U"}


def read_record(data: Mapping[str, Any] | ScreeningRecord) -> ScreeningRecord:
    """Validate a screening record; the first problem is reported with its field path."""
    if isinstance(data, ScreeningRecord):
        return data
    try:
        return ScreeningRecord.model_validate(dict(data), context={"as_of": today()})
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"]) or "record"
        raise InputError(f"record.{path}", first["msg"]) from None


def stratification_of(record: ScreeningRecord) -> dict[str, str | None]:
    """The stratification factors the record determines (None where it cannot tell)."""
    ici = record.flst.contains_ici
    lesions = record.oligoprogression.lesions
    site: str | None = None
    if lesions:
        progressing = [les for les in lesions if les.progressing] or list(lesions)
        in_liver = all(
            les.organ.strip().lower() == "liver" and not les.nodal for les in progressing
        )
        site = "intrahepatic-only" if in_liver else "any-extrahepatic"
    return {
        "oligoprogression_site": site,
        "flst_ici": None if ici is None else ("ici" if ici else "no-ici"),
    }


def screen_record(actor: Staff, data: Mapping[str, Any] | ScreeningRecord) -> Screening:
    """Evaluate the record with the eligibility engine and store the screening."""
    record = read_record(data)
    result = evaluate(current_protocol(), record)
    verdicts = result.to_dict()["criteria"]
    return screen(
        actor,
        record.patient_id,
        screened_on=record.screening_date,
        verdicts=verdicts,
        stratification=stratification_of(record),
        birth_date=record.birth_date,
        sex=SEX.get(record.sex, "U"),
    )
