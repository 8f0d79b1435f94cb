"""Interim monitoring: the bound to cross now and the conditional power.

The efficacy bound at an interim look is recomputed from the spending function at the
information actually reached (observed events / planned maximum events; at the final
analysis, or when more events than planned were observed, the events of that look), with earlier
looks at their actual fractions and later looks at their planned ones (Lan & DeMets 1983).
Conditional power is the probability of crossing an efficacy bound at a remaining look
given the current z, under a drift equal to the current trend (``z / sqrt(t)``) or to the
design hazard ratio (``-log(HR) sqrt(r D / (1 + r)^2)`` at D maximum events), computed by
recursive integration of the Brownian-motion increments (Jennison & Turnbull 2000, §10.1).
Non-binding futility bounds are ignored (conditional power of the efficacy rule alone).
z follows the stats package's sign: negative when the experimental arm does better.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from oligotrial.design import _checks
from oligotrial.design.boundaries import group_sequential_design
from oligotrial.design.recursive_integration import crossing_probabilities
from oligotrial.errors import InputError


@dataclass(frozen=True)
class InterimStatus:
    """Where a trial stands at a look."""

    look: int
    information: float  # observed events / planned maximum events
    z: float  # log-rank z as observed (negative favours the experimental arm)
    bound: float  # efficacy bound on |z| (benefit direction) at this look
    crossed: bool
    observed_hr: float  # exp(z (1 + r) / sqrt(r d)), the log-rank-based estimate
    conditional_power_trend: float
    conditional_power_design: float
    remaining_bounds: tuple[float, ...]
    remaining_information: tuple[float, ...]


def interim_status(
    *,
    events: Sequence[int],
    z: float,
    planned_events: Sequence[int],
    hazard_ratio: float,
    alpha: float = 0.05,
    sides: int = 2,
    power: float = 0.9,
    spending: str = "obrien-fleming",
    allocation_ratio: float = 1.0,
    final: bool = False,
) -> InterimStatus:
    """Status after the look at ``events[-1]`` events (earlier looks at ``events[:-1]``).

    ``final=True`` marks this look as the final analysis: the remaining alpha is spent
    here whatever the number of events (information fractions become events / events[-1]).
    """
    if not events:
        raise InputError("events", "give the events at each look so far")
    ev = [int(e) for e in events]
    if any(e < 1 for e in ev) or any(b <= a for a, b in itertools.pairwise(ev)):
        raise InputError("events", f"must be positive and increasing, got {ev}")
    plan = [int(p) for p in planned_events]
    if not plan or any(b <= a for a, b in itertools.pairwise(plan)):
        raise InputError("planned_events", f"must be positive and increasing, got {plan}")
    z = _checks.finite("z", z)
    hr = _checks.hazard_ratio(hazard_ratio)
    r = _checks.positive("allocation_ratio", allocation_ratio)
    d_max = ev[-1] if final else max(plan[-1], ev[-1])
    observed = [e / d_max for e in ev]
    later = [] if final else [p / d_max for p in plan if p / d_max > observed[-1] + 1e-9]
    info = observed + later
    design = group_sequential_design(spending, info, alpha, sides, power)
    j = len(observed) - 1
    bound = design.z[j]
    benefit = -z
    crossed = benefit >= bound
    t = np.array(design.information)
    rest_t = t[j + 1 :]
    rest_z = np.array(design.z[j + 1 :])
    drift_design = -math.log(hr) * math.sqrt(r * d_max) / (1 + r)
    drift_trend = benefit / math.sqrt(t[j])
    cp = [
        _conditional_power(benefit, t[j], rest_t, rest_z, sides, d) if not crossed else 1.0
        for d in (drift_trend, drift_design)
    ]
    return InterimStatus(
        look=j + 1,
        information=float(t[j]),
        z=z,
        bound=float(bound),
        crossed=bool(crossed),
        observed_hr=math.exp(z * (1 + r) / math.sqrt(r * ev[-1])),
        conditional_power_trend=cp[0],
        conditional_power_design=cp[1],
        remaining_bounds=tuple(float(v) for v in rest_z),
        remaining_information=tuple(float(v) for v in rest_t),
    )


def _conditional_power(
    z_now: float,
    t_now: float,
    t_rest: np.ndarray,
    c_rest: np.ndarray,
    sides: int,
    drift: float,
) -> float:
    if t_rest.size == 0:
        return 0.0
    span = 1.0 - t_now
    s = (t_rest - t_now) / span  # information of the increments, rescaled to end at 1
    b_now = z_now * math.sqrt(t_now)
    upper = (c_rest * np.sqrt(t_rest) - b_now) / (math.sqrt(span) * np.sqrt(s))
    lower = (
        (-c_rest * np.sqrt(t_rest) - b_now) / (math.sqrt(span) * np.sqrt(s))
        if sides == 2
        else np.full(s.size, -np.inf)
    )
    cr = crossing_probabilities(upper, lower, s, drift=drift * math.sqrt(span))
    return float(cr.upper.sum())
