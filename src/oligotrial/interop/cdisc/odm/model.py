"""What the ODM export is built from: the audit entries of the patients' data (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TrailEntry:
    """One audit entry of a patient's data."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    model: str
    object_id: str
    patient: str
    site: str
    changes: dict[str, tuple[Any, Any]]
    reason: str


@dataclass(frozen=True)
class Trail:
    """The study, its sites (code -> name) and the audit entries in chain order."""

    study_oid: str
    study_name: str
    protocol_version: str
    sites: dict[str, str]
    entries: tuple[TrailEntry, ...]
