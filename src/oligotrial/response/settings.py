"""Response-assessment settings, read from the protocol's ``response`` section.

Defaults are those of the shipped protocol (REFERENCE §3): RECIST 1.1, unconfirmed best
overall response (randomized trial, PFS primary), confirmation interval 28 days when asked
for, stable disease counted only from 42 days after randomization, no absolute 5 mm rule for
mRECIST (Lencioni & Llovet 2010 give none), previously irradiated lesions measurable only
once they have progressed after radiotherapy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from oligotrial.errors import ProtocolError

Criteria = Literal["recist1.1", "mrecist"]
CRITERIA: tuple[Criteria, ...] = ("recist1.1", "mrecist")


@dataclass(frozen=True)
class ResponseSettings:
    """How time-point and best overall responses are derived."""

    criteria: Criteria = "recist1.1"
    confirmation_required: bool = False
    confirmation_min_days: int = 28
    sd_min_days: int = 42
    mrecist_absolute_5mm_rule: bool = False
    irradiated_lesion_measurable_if_progressed: bool = True
    confirmation_max_ne: int = (
        1  # not-evaluable time points allowed between response and confirmation
    )

    def __post_init__(self) -> None:
        if self.criteria not in CRITERIA:
            raise ProtocolError(
                "response.criteria", f"must be one of {', '.join(CRITERIA)}, got {self.criteria!r}"
            )
        for name in ("confirmation_min_days", "sd_min_days", "confirmation_max_ne"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ProtocolError(
                    f"response.{name}", f"must be a whole number ≥ 0, got {value!r}"
                )
        for name in (
            "confirmation_required",
            "mrecist_absolute_5mm_rule",
            "irradiated_lesion_measurable_if_progressed",
        ):
            if not isinstance(getattr(self, name), bool):
                raise ProtocolError(f"response.{name}", "must be true or false")

    @classmethod
    def from_protocol(cls, section: Mapping[str, Any] | None) -> ResponseSettings:
        """Build from the protocol's ``response`` mapping; unknown keys are refused."""
        if section is None:
            return cls()
        if not isinstance(section, Mapping):
            raise ProtocolError("response", "must be a mapping")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ProtocolError(
                f"response.{unknown[0]}", f"unknown key (known: {', '.join(sorted(known))})"
            )
        return cls(**dict(section))
