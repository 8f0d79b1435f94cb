"""Objective response rate and disease control rate by arm (REFERENCE §4).

ORR = CR + PR; DCR = CR + PR + SD (SD meeting the minimum duration; non-CR/non-PD counts as
disease control for non-target-only disease), each over every patient of the arm (patients
without an evaluable assessment stay in the denominator). 95% CIs are exact
Clopper-Pearson (scipy.stats.binomtest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import binomtest

from oligotrial.endpoints.derive import PatientEndpoints


@dataclass(frozen=True)
class Rate:
    """A proportion with its exact 95% CI."""

    arm: str
    name: str
    count: int
    total: int
    low: float | None
    high: float | None

    @property
    def proportion(self) -> float | None:
        return self.count / self.total if self.total else None


def _rate(arm: str, name: str, flags: list[bool]) -> Rate:
    count, total = sum(flags), len(flags)
    if total == 0:
        return Rate(arm, name, 0, 0, None, None)
    ci = binomtest(count, total).proportion_ci(confidence_level=0.95, method="exact")
    return Rate(arm, name, count, total, float(ci.low), float(ci.high))


def response_rates(results: Sequence[PatientEndpoints]) -> tuple[Rate, ...]:
    """ORR and DCR for each arm (arm "-" when none recorded) and overall."""
    arms = sorted({r.patient.arm or "-" for r in results})
    groups = [(arm, [r for r in results if (r.patient.arm or "-") == arm]) for arm in arms]
    if len(arms) > 1:
        groups.append(("all", list(results)))
    out: list[Rate] = []
    for arm, members in groups:
        out.append(_rate(arm, "ORR", [m.responder for m in members]))
        out.append(_rate(arm, "DCR", [m.disease_control for m in members]))
    return tuple(out)
