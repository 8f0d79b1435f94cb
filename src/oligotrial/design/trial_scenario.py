"""What a simulated trial looks like: arms' event-time models, accrual, dropout, looks.

Event times: piecewise-exponential (control hazards on pieces; treatment hazards equal to
``hazard_ratio`` times them unless given) or Weibull (``S(t) = exp(-(t / scale)^shape)``;
proportional hazards give the treatment scale ``scale * HR^(-1/shape)``). Dropout is
exponential with a cumulative rate at ``dropout_time`` months (rpact's convention). Entry
times follow the (piecewise-uniform) accrual, either random ("random": uniform order
statistics) or evenly spaced ("even": the i-th of N enters when a fraction i/N has
enrolled, as rpact's ``getSimulationSurvival`` does). Allocation is 1:1 by stratified
permuted blocks ("blocks"), by a fair coin ("complete") or alternating ("alternating",
rpact's default). Group 1 is the experimental arm.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from oligotrial.design import _checks
from oligotrial.design.boundaries import GroupSequentialDesign, group_sequential_design
from oligotrial.design.survival_model import Accrual, PiecewiseExponential, dropout_hazard
from oligotrial.errors import InputError

Entry = Literal["random", "even"]
Allocation = Literal["blocks", "complete", "alternating"]


@dataclass(frozen=True)
class ArmModel:
    """Event-time distribution of one arm: piecewise exponential or Weibull."""

    kind: Literal["piecewise-exponential", "weibull"]
    hazards: PiecewiseExponential | None = None
    shape: float = 1.0
    scale: float = 1.0

    @staticmethod
    def exponential_median(median: float) -> ArmModel:
        return ArmModel(
            "piecewise-exponential",
            PiecewiseExponential.build([math.log(2) / _checks.positive("control_median", median)]),
        )

    @staticmethod
    def weibull_median(median: float, shape: float) -> ArmModel:
        k = _checks.positive("weibull_shape", shape)
        m = _checks.positive("control_median", median)
        return ArmModel("weibull", shape=k, scale=m / math.log(2) ** (1 / k))

    def with_hazard_ratio(self, hr: float) -> ArmModel:
        if self.kind == "weibull":
            return ArmModel("weibull", shape=self.shape, scale=self.scale * hr ** (-1 / self.shape))
        assert self.hazards is not None
        return ArmModel("piecewise-exponential", self.hazards.scaled(hr))

    def times(self, unit_exponential: NDArray[np.float64]) -> NDArray[np.float64]:
        """Event times from standard-exponential draws (inverse cumulative hazard)."""
        if self.kind == "weibull":
            return np.asarray(self.scale * unit_exponential ** (1 / self.shape), dtype=np.float64)
        assert self.hazards is not None
        if len(self.hazards.rates) == 1:
            return np.asarray(unit_exponential / self.hazards.rates[0], dtype=np.float64)
        return self.hazards.quantile_of_cumhaz(unit_exponential)

    def median(self) -> float:
        if self.kind == "weibull":
            return float(self.scale * math.log(2) ** (1 / self.shape))
        assert self.hazards is not None
        return self.hazards.median()


@dataclass(frozen=True)
class TrialScenario:
    """Everything one simulated trial needs (frozen, picklable for Dask workers)."""

    subjects: int
    events: tuple[int, ...]  # cumulative events at each look
    control: ArmModel
    treatment: ArmModel
    hazard_ratio: float  # the treatment effect the arms encode (for reporting)
    accrual: Accrual
    design: GroupSequentialDesign
    dropout_control: float = 0.0  # exponential dropout hazards per month
    dropout_treatment: float = 0.0
    entry: Entry = "random"
    allocation: Allocation = "blocks"
    block_sizes: tuple[int, ...] = (2, 4)
    strata: tuple[float, ...] = (1.0,)  # stratum probabilities (blocks within stratum)


def build_scenario(
    *,
    subjects: int,
    events: Sequence[int],
    hazard_ratio: float,
    accrual: Accrual | float,
    control_median: float | None = None,
    control_hazard: Sequence[float] | None = None,
    piecewise_times: Sequence[float] | None = None,
    weibull_shape: float | None = None,
    treatment_hazard: Sequence[float] | None = None,
    dropout_rate: float = 0.0,
    dropout_time: float = 12.0,
    alpha: float = 0.05,
    sides: int = 2,
    power: float = 0.9,
    spending: str = "obrien-fleming",
    information: Sequence[float] | None = None,
    futility: Sequence[float] | None = None,
    futility_spending: str | None = None,
    design: GroupSequentialDesign | None = None,
    entry: str = "random",
    allocation: str = "blocks",
    block_sizes: Sequence[int] = (2, 4),
    strata: Sequence[float] = (1.0,),
) -> TrialScenario:
    """Validate inputs and assemble a scenario; looks default to the event fractions."""
    n = int(subjects)
    if n != subjects or n < 2:
        raise InputError("subjects", f"must be a whole number >= 2, got {subjects!r}")
    ev = tuple(int(e) for e in events)
    if not ev or any(e != f for e, f in zip(ev, events, strict=True)) or min(ev) < 1:
        raise InputError("events", f"must be whole numbers >= 1, got {list(events)}")
    if any(b <= a for a, b in itertools.pairwise(ev)):
        raise InputError("events", f"must increase strictly, got {list(ev)}")
    if ev[-1] > n:
        raise InputError("events", f"{ev[-1]} events need at least as many subjects (got {n})")
    hr = _checks.positive("hazard_ratio", hazard_ratio)
    acc = accrual if isinstance(accrual, Accrual) else Accrual.uniform(accrual)
    if weibull_shape is not None:
        if control_median is None:
            raise InputError("control_median", "a Weibull model needs the control median")
        control = ArmModel.weibull_median(control_median, weibull_shape)
    elif control_hazard is not None:
        control = ArmModel(
            "piecewise-exponential", PiecewiseExponential.build(control_hazard, piecewise_times)
        )
    elif control_median is not None:
        control = ArmModel.exponential_median(control_median)
    else:
        raise InputError("control_median", "give the control median or control hazards")
    if treatment_hazard is not None:
        if control.hazards is None:
            raise InputError("treatment_hazard", "needs piecewise control hazards")
        treatment = ArmModel(
            "piecewise-exponential",
            PiecewiseExponential.build(
                treatment_hazard, control.hazards.starts, name="treatment_hazard"
            ),
        )
    else:
        treatment = control.with_hazard_ratio(hr)
    if design is None:
        info = information if information is not None else tuple(e / ev[-1] for e in ev)
        design = group_sequential_design(
            spending,
            info,
            alpha,
            sides,
            power,
            futility=futility,
            futility_spending=futility_spending,
        )
    if len(design.information) != len(ev):
        raise InputError("events", f"{len(ev)} looks but the design has {len(design.information)}")
    if entry not in ("random", "even"):
        raise InputError("entry", f"must be random or even, got {entry!r}")
    if allocation not in ("blocks", "complete", "alternating"):
        raise InputError(
            "allocation", f"must be blocks, complete or alternating, got {allocation!r}"
        )
    bs = tuple(int(b) for b in block_sizes)
    if not bs or any(b < 2 or b % 2 for b in bs):
        raise InputError("block_sizes", f"must be even sizes >= 2, got {list(block_sizes)}")
    st = tuple(_checks.non_negative("strata", p) for p in strata)
    if not st or sum(st) <= 0:
        raise InputError("strata", "needs at least one positive stratum probability")
    phi = dropout_hazard(dropout_rate, dropout_time)
    return TrialScenario(
        subjects=n,
        events=ev,
        control=control,
        treatment=treatment,
        hazard_ratio=hr,
        accrual=acc,
        design=design,
        dropout_control=phi,
        dropout_treatment=phi,
        entry=entry,  # type: ignore[arg-type]
        allocation=allocation,  # type: ignore[arg-type]
        block_sizes=bs,
        strata=tuple(p / sum(st) for p in st),
    )
