"""What the trial database needs from the protocol: arms, strata, randomization, schedule.

A small interface of its own so the services do not depend on the protocol file's shape;
:func:`from_protocol` builds it from a loaded protocol; :func:`current_config` is that of
the protocol in force (the shipped file unless one is set). Nothing of a protocol is
restated here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oligotrial.protocol import Protocol, load_protocol
from oligotrial.randomization import Factor

SITE_FACTOR = "site"


@dataclass(frozen=True)
class AssessmentRule:
    """Assessments every ``every_weeks`` from ``from_week`` up to ``to_week`` (None: open)."""

    from_week: int
    to_week: int | None
    every_weeks: int
    window_days: int


@dataclass(frozen=True)
class TrialConfig:
    protocol_id: str
    protocol_version: str
    arms: tuple[str, ...]
    ratio: tuple[int, ...]
    factors: tuple[tuple[str, tuple[str, ...] | None], ...]  # None levels: the site list
    method: str  # "permuted_blocks" | "minimization"
    block_sizes: tuple[int, ...]
    p_best: float
    assessments: tuple[AssessmentRule, ...]
    ctdna_time_points: tuple[str, ...]
    biopsy_time_points: tuple[str, ...]

    def stratification(self, site_codes: Sequence[str]) -> tuple[Factor, ...]:
        """The factors with the site factor's levels taken from ``site_codes``."""
        return tuple(
            Factor(name, tuple(site_codes) if levels is None else levels)
            for name, levels in self.factors
        )

    @property
    def factor_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.factors)


def from_protocol(protocol: Protocol) -> TrialConfig:
    """Build the configuration from a loaded protocol (contracts §1)."""
    factors = tuple(
        (f.name, None if f.from_sites else tuple(f.levels)) for f in protocol.stratification
    )
    rand = protocol.randomization
    schedule = protocol.schedule
    return TrialConfig(
        protocol_id=protocol.id,
        protocol_version=protocol.version,
        arms=tuple(a.code for a in protocol.arms),
        ratio=tuple(int(r) for r in protocol.allocation_ratio),
        factors=factors,
        method=rand.method,
        block_sizes=tuple(int(b) for b in rand.block_sizes),
        p_best=rand.minimization.p_best if rand.minimization else 0.8,
        assessments=tuple(
            AssessmentRule(a.from_week, a.to_week, a.every_weeks, a.window_days)
            for a in schedule.assessments
        ),
        ctdna_time_points=tuple(schedule.ctdna),
        biopsy_time_points=tuple(schedule.biopsy),
    )


_current: TrialConfig | None = None


def current_config() -> TrialConfig:
    """The configuration in force: the one set, else the shipped protocol's."""
    global _current
    if _current is None:
        _current = from_protocol(current_protocol())
    return _current


_protocol: Protocol | None = None


def current_protocol() -> Protocol:
    """The protocol in force (the shipped protocol file unless one is set)."""
    global _protocol
    if _protocol is None:
        _protocol = load_protocol()
    return _protocol


def set_protocol(protocol: Protocol | None) -> None:
    """Put ``protocol`` in force for this process (``None``: back to the shipped one)."""
    global _current, _protocol
    _protocol = protocol
    _current = None
