"""Input format of one patient (or a data set) for endpoint derivation.

Extends the tumour record of :mod:`oligotrial.response.inputs` with the events endpoints
need: death, last known alive, new anticancer therapy, withdrawal or loss to follow-up,
adverse events and laboratory values. Unknown fields are refused. The JSON Schema is printed
by ``oligotrial schema assessments``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from oligotrial.errors import InputError
from oligotrial.response.inputs import TumourRecord

Attribution = Literal["unrelated", "unlikely", "possible", "probable", "definite"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: ICH E2A seriousness criteria (SDTM AESDTH, AESLIFE, AESHOSP, AESDISAB, AESCONG, AESMIE)
SeriousnessCriterion = Literal[
    "death",
    "life_threatening",
    "hospitalisation",
    "disability",
    "congenital_anomaly",
    "medically_important",
]


class AdverseEvent(_Strict):
    """One adverse event (CTCAE v5.0 term and grade)."""

    term: str = Field(min_length=1)
    soc: str = Field(min_length=1, description="MedDRA system organ class.")
    grade: int = Field(ge=1, le=5)
    start_date: dt.date
    end_date: dt.date | None = None
    serious: bool = False
    #: the ICH E2A seriousness criteria the event meets (none for a non-serious event)
    criteria: tuple[SeriousnessCriterion, ...] = ()
    attribution: Attribution = "unrelated"

    @model_validator(mode="after")
    def _dates(self) -> AdverseEvent:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError(f"adverse event {self.term}: end_date before start_date")
        return self


class LabValue(_Strict):
    """One laboratory result in canonical units (ALT/AST U/L, bilirubin µmol/L, counts 10⁹/L)."""

    test: Literal["alt", "ast", "bilirubin", "platelets", "neutrophils"]
    date: dt.date
    value: float = Field(ge=0, allow_inf_nan=False)
    uln: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    lln: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class Withdrawal(_Strict):
    """End of follow-up before the planned end."""

    date: dt.date
    reason: Literal["withdrew", "lost-to-follow-up"]


class PatientRecord(TumourRecord):
    """One randomized patient: tumour assessments plus the events endpoints need."""

    subject_id: str = Field(min_length=1)
    arm: str | None = Field(default=None, description="Arm code, e.g. A or B.")
    strata: dict[str, str] = Field(default_factory=dict)
    death_date: dt.date | None = None
    last_known_alive: dt.date | None = None
    new_therapy_date: dt.date | None = Field(
        default=None, description="Start of new anticancer therapy."
    )
    withdrawal: Withdrawal | None = None
    adverse_events: tuple[AdverseEvent, ...] = ()
    labs: tuple[LabValue, ...] = ()

    @model_validator(mode="after")
    def _event_dates(self) -> PatientRecord:
        rand = self.randomization_date
        for name in ("death_date", "last_known_alive", "new_therapy_date"):
            value = getattr(self, name)
            if value is not None and value < rand:
                raise ValueError(
                    f"{name} {value.isoformat()} is before randomization {rand.isoformat()}"
                )
        if self.withdrawal is not None and self.withdrawal.date < rand:
            raise ValueError("withdrawal date is before randomization")
        if self.last_known_alive is not None and self.assessments:
            latest = max(a.date for a in self.assessments)
            if latest > self.last_known_alive:
                raise ValueError(
                    f"last_known_alive {self.last_known_alive.isoformat()} is before the "
                    f"assessment on {latest.isoformat()}"
                )
        if self.death_date is not None:
            if self.last_known_alive is not None and self.last_known_alive > self.death_date:
                raise ValueError("last_known_alive is after death_date")
            late = [a.date for a in self.assessments if a.date > self.death_date]
            if late:
                raise ValueError(f"assessment on {late[0].isoformat()} is after death_date")
        return self


class DataSet(_Strict):
    """Several patients in one file."""

    patients: tuple[PatientRecord, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> DataSet:
        seen: set[str] = set()
        for p in self.patients:
            if p.subject_id in seen:
                raise ValueError(f"subject_id {p.subject_id} appears twice")
            seen.add(p.subject_id)
        return self


def _where(loc: tuple[int | str, ...], raw: Any) -> str:
    """A readable path: list positions also named by the visit date or lesion id they hold."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            item = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(item, dict):
                tag = (
                    item.get("date")
                    or item.get("lesion")
                    or item.get("id")
                    or item.get("subject_id")
                )
                if tag is not None:
                    label += f" ({tag})"
            parts.append(label)
            node = item
        else:
            parts.append(("." if parts else "") + key)
            node = node.get(key) if isinstance(node, dict) else None
    if not parts and isinstance(raw, dict) and raw.get("subject_id"):
        return f"subject {raw['subject_id']}"
    return "".join(parts) or "input"


def parse_patients(raw: Any) -> tuple[PatientRecord, ...]:
    """Validate a decoded JSON document (one patient, or ``{"patients": [...]}``)."""
    is_set = isinstance(raw, dict) and "patients" in raw
    try:
        if is_set:
            return DataSet.model_validate(raw).patients
        return (PatientRecord.model_validate(raw),)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(k for k in err["loc"] if not (isinstance(k, str) and k.startswith("function-")))
        message = str(err["msg"]).removeprefix("Value error, ")
        raise InputError(_where(loc, raw), message) from None


def load_patients(path: str | Path) -> tuple[PatientRecord, ...]:
    """Read and validate a JSON file; InputError naming the file on unreadable JSON."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(p), "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(p), f"cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            str(p), f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return parse_patients(raw)


def json_schema() -> dict[str, Any]:
    """JSON Schema of the input file: a PatientRecord or a DataSet."""
    patient = PatientRecord.model_json_schema(ref_template="#/$defs/{model}")
    dataset = DataSet.model_json_schema(ref_template="#/$defs/{model}")
    defs = {**patient.pop("$defs", {}), **dataset.pop("$defs", {})}
    defs["PatientRecord"] = patient
    defs["DataSet"] = dataset
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "oligotrial tumour assessments and events",
        "description": 'One patient (PatientRecord) or several ({"patients": [...]}).',
        "oneOf": [{"$ref": "#/$defs/PatientRecord"}, {"$ref": "#/$defs/DataSet"}],
        "$defs": defs,
    }
