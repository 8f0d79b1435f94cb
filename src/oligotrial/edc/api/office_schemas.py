"""Strict schemas of the trial office's operations: investigator signatures, freezes and
the database lock with its pre-lock checklist."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictStr, StringConstraints

from oligotrial.edc.api.errors import ErrorOut
from oligotrial.edc.api.kinds import AnyKindName
from oligotrial.edc.api.schemas import Reason, StrictIn
from oligotrial.strict import Integer

Category = Literal["open_query", "unsigned_casebook", "unverified_form", "overdue_visit"]


# --- signatures -----------------------------------------------------------------------------
class SignIn(StrictIn):
    """Re-authentication at the moment of signing (21 CFR 11.200): the signer's password and
    a current code of their authenticator app. Neither is stored, logged or echoed."""

    visit_number: Annotated[Integer, Field(ge=0)] | None = None
    password: Annotated[StrictStr, StringConstraints(min_length=1, max_length=1024)]
    totp_code: Annotated[StrictStr, StringConstraints(min_length=1, max_length=12)]


class SignatureOut(Schema):
    id: int
    scope: Literal["casebook", "visit"]
    visit_number: int | None
    signer: str
    printed_name: str
    meaning: str
    signed_at: str
    content_hash: str
    in_force: bool
    voided_at: str | None
    void_reason: str


class VoidIn(StrictIn):
    reason: Reason


# --- freezes --------------------------------------------------------------------------------
class FreezeIn(StrictIn):
    """What to freeze: the whole patient, one visit (``visit_number``) or one form (``kind``
    and ``record_id``)."""

    scope: Literal["patient", "visit", "form"]
    reason: Reason
    visit_number: Annotated[Integer, Field(ge=0)] | None = None
    kind: AnyKindName | None = None
    record_id: Annotated[Integer, Field(ge=1)] | None = None


class FreezeOut(Schema):
    id: int
    patient: str
    scope: Literal["patient", "visit", "form"]
    visit_number: int | None
    kind: str
    record_id: int | None
    frozen_by: str
    frozen_at: str
    reason: str
    in_force: bool
    released_by: str | None
    released_at: str | None
    release_reason: str


class ReleaseIn(StrictIn):
    reason: Reason


# --- the database lock ----------------------------------------------------------------------
class OpenItemOut(Schema):
    category: Category
    patient: str
    detail: str
    visit_number: int | None = None


class ChecklistOut(Schema):
    clear: bool
    sdv_in_use: bool
    counts: dict[str, int]
    items: list[OpenItemOut]


class LockStateOut(Schema):
    locked: bool
    locked_at: str | None
    locked_by: str
    unlocked_at: str | None
    unlocked_by: str
    unlock_reason: str
    checklist: ChecklistOut


class LockIn(StrictIn):
    reason: Reason


class LockRefusedOut(ErrorOut):
    """The error shape; a lock refused for open checklist items also lists them."""

    open_items: list[OpenItemOut] = Field(default_factory=list)
