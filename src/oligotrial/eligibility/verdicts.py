"""Results of screening: per criterion met / not met / cannot tell, and overall.

For an inclusion criterion *met* is in the patient's favour; for an exclusion criterion
*met* means the exclusion applies. Overall: *eligible* when every inclusion is met and no
exclusion is met; *ineligible* as soon as one criterion is decided against the patient;
otherwise *incomplete* (something is missing, and the missing data are named).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["met", "not_met", "cannot_tell"]
Overall = Literal["eligible", "ineligible", "incomplete"]

# Integer codes of the verdict matrices of a batch (:class:`.batch_result.BatchResult`).
STATUS_CODES: Mapping[Status, int] = {"not_met": 0, "met": 1, "cannot_tell": 2}
OVERALL_CODES: Mapping[Overall, int] = {"ineligible": 0, "eligible": 1, "incomplete": 2}
STATUS_BY_CODE: tuple[Status, ...] = ("not_met", "met", "cannot_tell")
OVERALL_BY_CODE: tuple[Overall, ...] = ("ineligible", "eligible", "incomplete")


@dataclass(frozen=True)
class CriterionResult:
    id: str
    kind: Literal["inclusion", "exclusion"]
    text: str
    decided: str
    status: Status
    values: Mapping[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        fixed: Mapping[str, Any],
        status: Status,
        values: Mapping[str, Any],
        missing: tuple[str, ...],
    ) -> CriterionResult:
        """``CriterionResult(**fixed, status=status, values=values, missing=missing)``, where
        ``fixed`` holds the criterion's own fields (id, kind, text, decided), built without
        the frozen class's checked assignment of each field: the engine makes one per
        criterion and record, from values it made itself."""
        made = object.__new__(cls)
        own = made.__dict__
        own.update(fixed)
        own["status"], own["values"], own["missing"] = status, values, missing
        return made

    @property
    def in_favour(self) -> bool | None:
        """True if this verdict lets the patient in, False if it keeps them out."""
        if self.status == "cannot_tell":
            return None
        return (self.status == "met") == (self.kind == "inclusion")


@dataclass(frozen=True)
class ScreeningResult:
    patient_id: str
    protocol_id: str
    protocol_version: str
    overall: Overall
    criteria: tuple[CriterionResult, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria if c.in_favour is False)

    @property
    def missing(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.criteria:
            for path in c.missing:
                seen.setdefault(path)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "protocol": {"id": self.protocol_id, "version": self.protocol_version},
            "overall": self.overall,
            "failed": list(self.failed),
            "missing": list(self.missing),
            "criteria": [
                {
                    "id": c.id,
                    "kind": c.kind,
                    "decided": c.decided,
                    "status": c.status,
                    "in_favour": c.in_favour,
                    "values": dict(c.values),
                    "missing": list(c.missing),
                    "text": c.text,
                }
                for c in self.criteria
            ],
        }


def overall_from(statuses: list[tuple[str, Status]]) -> Overall:
    """Overall verdict from (kind, status) pairs."""
    against = any(
        (status == "not_met") if kind == "inclusion" else (status == "met")
        for kind, status in statuses
    )
    if against:
        return "ineligible"
    if any(status == "cannot_tell" for _, status in statuses):
        return "incomplete"
    return "eligible"
