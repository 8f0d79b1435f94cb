"""Endpoint settings, read from the protocol's ``endpoints`` and ``schedule`` sections.

Defaults equal the shipped protocol (REFERENCE §4): censor PFS at new anticancer therapy,
an event after 2 or more consecutive missed scheduled assessments is censored, death before
the first assessment is an event, lost to follow-up / withdrawal censors at the last
adequate assessment, OS censored at last known alive; assessments every 8 weeks ± 7 days in
year 1, every 12 weeks after. Every PFS rule is one switch, so a sensitivity analysis is
one changed flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from oligotrial.errors import ProtocolError

DEFAULT_REASONS: Mapping[int, str] = MappingProxyType(
    {
        1: "No baseline or no post-baseline adequate assessment",
        2: "No progression or death: last adequate assessment",
        3: "New anticancer therapy before progression",
        4: "Progression or death after two or more missed assessments",
        5: "Lost to follow-up or withdrew: last adequate assessment",
    }
)


@dataclass(frozen=True)
class ScheduleBlock:
    """Visits every ``every_weeks`` weeks ± ``window_days`` from ``from_week`` to ``to_week``."""

    from_week: int
    to_week: int | None
    every_weeks: int
    window_days: int


DEFAULT_SCHEDULE: tuple[ScheduleBlock, ...] = (
    ScheduleBlock(0, 52, 8, 7),
    ScheduleBlock(52, None, 12, 7),
)


@dataclass(frozen=True)
class EndpointSettings:
    """How PFS, OS and DOR are derived; each censoring rule can be switched off."""

    censor_at_new_anticancer_therapy: bool = True
    missed_assessments_for_gap: int = 2  # 0 switches the missed-assessment rule off
    death_before_first_assessment_is_event: bool = True
    censor_at_withdrawal: bool = True
    censoring_reasons: Mapping[int, str] = field(default_factory=lambda: DEFAULT_REASONS)
    os_censor_at: str = "last_known_alive"
    schedule: tuple[ScheduleBlock, ...] = DEFAULT_SCHEDULE

    def __post_init__(self) -> None:
        for name in (
            "censor_at_new_anticancer_therapy",
            "death_before_first_assessment_is_event",
            "censor_at_withdrawal",
        ):
            if not isinstance(getattr(self, name), bool):
                raise ProtocolError(f"endpoints.pfs.{name}", "must be true or false")
        gap = self.missed_assessments_for_gap
        if isinstance(gap, bool) or not isinstance(gap, int) or gap < 0:
            raise ProtocolError(
                "endpoints.pfs.missed_assessments_for_gap",
                f"must be a whole number ≥ 0, got {gap!r}",
            )
        missing = sorted(set(DEFAULT_REASONS) - set(self.censoring_reasons))
        if missing:
            raise ProtocolError("endpoints.censoring_reasons", f"code {missing[0]} has no reason")
        if self.os_censor_at != "last_known_alive":
            raise ProtocolError(
                "endpoints.os.censor_at",
                f"only last_known_alive is supported, got {self.os_censor_at!r}",
            )
        if not self.schedule:
            raise ProtocolError("schedule.assessments", "at least one block is needed")

    def reason(self, code: int) -> str:
        """The protocol's wording of a censoring code."""
        return self.censoring_reasons[code]

    @classmethod
    def from_protocol(
        cls, endpoints: Mapping[str, Any] | None, schedule: Any = None
    ) -> EndpointSettings:
        """Build from the protocol's ``endpoints`` mapping and its schedule (mapping or object)."""
        kwargs: dict[str, Any] = {}
        section = dict(endpoints or {})
        unknown = sorted(set(section) - {"pfs", "censoring_reasons", "os"})
        if unknown:
            raise ProtocolError(
                f"endpoints.{unknown[0]}", "unknown key (known: pfs, censoring_reasons, os)"
            )
        pfs = dict(section.get("pfs") or {})
        allowed = {
            "censor_at_new_anticancer_therapy",
            "missed_assessments_for_gap",
            "death_before_first_assessment_is_event",
            "censor_at_withdrawal",
        }
        bad = sorted(set(pfs) - allowed)
        if bad:
            raise ProtocolError(
                f"endpoints.pfs.{bad[0]}", f"unknown key (known: {', '.join(sorted(allowed))})"
            )
        kwargs.update(pfs)
        if "censoring_reasons" in section:
            try:
                kwargs["censoring_reasons"] = MappingProxyType(
                    {int(k): str(v) for k, v in dict(section["censoring_reasons"]).items()}
                )
            except (TypeError, ValueError) as exc:
                raise ProtocolError(
                    "endpoints.censoring_reasons", "keys must be whole numbers"
                ) from exc
        os_section = dict(section.get("os") or {})
        if "censor_at" in os_section:
            kwargs["os_censor_at"] = os_section["censor_at"]
        if schedule is not None:
            kwargs["schedule"] = parse_schedule(schedule)
        return cls(**kwargs)


def _get(item: Any, key: str) -> Any:
    return item[key] if isinstance(item, Mapping) else getattr(item, key)


def parse_schedule(schedule: Any) -> tuple[ScheduleBlock, ...]:
    """Assessment blocks from the protocol's ``schedule`` (a mapping or a loaded object)."""
    blocks = _get(schedule, "assessments")
    result: list[ScheduleBlock] = []
    for i, block in enumerate(blocks):
        try:
            to_week = _get(block, "to_week")
            parsed = ScheduleBlock(
                int(_get(block, "from_week")),
                None if to_week is None else int(to_week),
                int(_get(block, "every_weeks")),
                int(_get(block, "window_days")),
            )
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise ProtocolError(
                f"schedule.assessments[{i}]",
                f"needs from_week, to_week, every_weeks, window_days ({exc})",
            ) from exc
        if parsed.every_weeks <= 0 or parsed.window_days < 0:
            raise ProtocolError(
                f"schedule.assessments[{i}]", "every_weeks must be > 0 and window_days ≥ 0"
            )
        result.append(parsed)
    return tuple(result)
