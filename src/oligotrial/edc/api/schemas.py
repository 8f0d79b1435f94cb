"""Strict request and response schemas shared by the routers.

Every request schema forbids unknown fields and takes values as what they are
(:mod:`oligotrial.strict`): JSON ``true`` is not 1, ``"30"`` is not a number, a date is
text ``YYYY-MM-DD``; every coded value is an enum.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, Strict, StrictStr, StringConstraints

from oligotrial.strict import Flag, Integer

ScreeningNumber = Annotated[str, StringConstraints(min_length=1, max_length=32)]
Reason = Annotated[StrictStr, StringConstraints(min_length=1, max_length=2000)]
#: the coded values of the models, spelt out for the schema (a test keeps them equal)
RoleName = Literal[
    "investigator", "coordinator", "monitor", "data_manager", "statistician", "admin"
]
StatusName = Literal["screening", "screen_failed", "randomized", "withdrawn", "lost", "died"]
Language = Literal["zh-hans", "en"]
Arm = Annotated[str, StringConstraints(max_length=8)]


def _date_text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    raise ValueError(f"a date is text YYYY-MM-DD, got {value!r}")


#: a date given as ISO text (the only way JSON can carry one); never a number
Day = Annotated[dt.date, Strict(False), BeforeValidator(_date_text)]


class StrictIn(Schema):
    """Base of every request body: unknown fields refused, nothing coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


# --- sites and staff ---------------------------------------------------------------------
class SiteIn(StrictIn):
    code: Annotated[StrictStr, StringConstraints(min_length=1, max_length=16)]
    name: Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)]
    language: Language = "zh-hans"
    #: ISO 3166-1 alpha-3 (e.g. CHN); checked against the list by the service
    country: Annotated[StrictStr, StringConstraints(min_length=3, max_length=3)] = "CHN"


class SiteOut(Schema):
    code: str
    name: str
    language: str
    country: str
    active: bool


class StaffIn(StrictIn):
    username: Annotated[StrictStr, StringConstraints(min_length=1, max_length=150)]
    role: RoleName
    site: Annotated[StrictStr, StringConstraints(max_length=16)] | None = None
    full_name: Annotated[StrictStr, StringConstraints(max_length=200)] = ""


class StaffOut(Schema):
    username: str
    full_name: str
    role: str
    site: str | None
    active: bool


# --- patients, consent, randomization ------------------------------------------------------
class PatientRow(Schema):
    screening_number: str
    site: str
    status: StatusName
    randomization_number: str | None
    arm: str | None


class PatientOut(PatientRow):
    stratification: dict[str, str]
    randomized_on: str | None
    open_queries: int


class ConsentIn(StrictIn):
    version: Annotated[StrictStr, StringConstraints(min_length=1, max_length=32)]
    signed_on: Day


class ConsentOut(Schema):
    id: int
    screening_number: str
    version: str
    signed_on: str


class RandomizeIn(StrictIn):
    randomized_on: Day


class AllocationOut(Schema):
    screening_number: str
    randomization_number: str
    arm: Arm
    randomized_on: str
    already_randomized: bool


# --- screening ------------------------------------------------------------------------------
class Verdict(Schema):
    model_config = ConfigDict(extra="allow")
    id: str
    status: str
    in_favour: bool | None


class ScreeningOut(Schema):
    screening_number: str
    version: int
    origin: str
    reason: str
    screened_on: str
    evaluated_at: str
    overall: Literal["eligible", "ineligible", "incomplete"]
    eligible: bool
    protocol_id: str
    protocol_version: str
    strata: dict[str, str | None]
    verdicts: list[Verdict]


class ScreeningCorrectionIn(StrictIn):
    path: Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)]
    value: Any = Field(json_schema_extra={"nullable": True})
    reason: Reason


# --- visits ---------------------------------------------------------------------------------
class ScheduleIn(StrictIn):
    horizon_weeks: Annotated[Integer, Field(ge=1, le=520)] = 156


class VisitIn(StrictIn):
    visit_date: Day | None = None
    missed: Flag = False


class VisitOut(Schema):
    number: int
    kind: Literal["baseline", "assessment", "unscheduled"]
    due_date: str | None
    window_days: int
    visit_date: str | None
    status: Literal["scheduled", "done", "missed"]


# --- records and corrections ----------------------------------------------------------------
class RecordOut(Schema):
    kind: str
    id: int
    values: dict[str, Any]


class DoseChangeIn(StrictIn):
    new_dose: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    on: Day
    reason: Annotated[StrictStr, StringConstraints(min_length=1, max_length=180)]


# --- queries and history --------------------------------------------------------------------
class QueryOut(Schema):
    id: int
    site: str
    patient: str
    record: str
    field: str
    rule: str
    message: str
    status: Literal["open", "closed"]
    opened_at: str
    closed_at: str | None = None


class CloseQueryIn(StrictIn):
    reason: Reason


class HistoryEntry(Schema):
    seq: int
    at: str
    actor: str
    role: str
    action: str
    record: str
    changes: dict[str, Any]
    reason: str
    hash: str
