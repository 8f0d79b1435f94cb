"""Outcome scenarios for synthetic trials, calibrated to published results.

Sources (REFERENCE.md §1):

* RT + continued FLST (arm A): the sponsor's multicentre retrospective cohort
  (Int J Radiat Oncol Biol Phys): median PFS 8.6 months, PFS 67.1 % at 6 and 41.8 % at
  12 months. A piecewise-exponential model passes exactly through these three points.
* Early switch to SLST (arm B): same cohort, SLST without RT, median PFS 3.1 months and
  6-month PFS 21.4 %; regorafenib in RESORCE: PFS 3.1, OS 10.6 months.
* OS = time of the PFS event + post-progression survival (Weibull, shape 1.3, median
  7.45 months, chosen so that the SLST arm's median OS is 10.6 months as in RESORCE).
  Post-progression survival is assumed equal in both arms, so arm A's OS gain comes only
  from its PFS gain (median OS about 18.7 months; an assumption, no published value).
* A share of PFS events are deaths without prior progression (8 % arm A, 12 % arm B).

Scenarios: ``benefit`` (the published curves above), ``design`` (proportional hazards,
arm A = arm B's hazard × the protocol's design hazard ratio (0.55), so the true HR is known
exactly) and ``null`` (both arms follow the SLST curves).

The calibrated PFS time is the latent time at which progression happens; the analysis
dates it to the first scan after it (every 8 weeks), so observed medians run later.
"""

from __future__ import annotations

from dataclasses import dataclass

from oligotrial.protocol import load_protocol
from oligotrial.synth.models import PiecewiseExponential, Weibull

ARMS = ("A", "B")

RT_FLST_PFS = PiecewiseExponential.through_landmarks(
    [(6.0, 0.671), (8.6, 0.5), (12.0, 0.418)], tail_hazard=0.07
)
SLST_PFS = PiecewiseExponential.through_landmarks([(3.1, 0.5), (6.0, 0.214)], tail_hazard=0.22)
POST_PROGRESSION = Weibull.from_median(7.45, shape=1.3)
DESIGN_HAZARD_RATIO = load_protocol().design.hazard_ratio


@dataclass(frozen=True)
class ArmOutcomeModel:
    """How one arm's outcomes are drawn."""

    pfs: PiecewiseExponential
    post_progression: Weibull
    death_share_of_pfs_events: float
    objective_response_rate: float
    complete_response_share: float


@dataclass(frozen=True)
class Scenario:
    name: str
    arms: dict[str, ArmOutcomeModel]
    true_hazard_ratio: float | None
    description: str

    def arm(self, code: str) -> ArmOutcomeModel:
        return self.arms[code]


def _arm_a(pfs: PiecewiseExponential) -> ArmOutcomeModel:
    # RT to every progressing lesion shrinks irradiated targets: a higher response rate.
    return ArmOutcomeModel(pfs, POST_PROGRESSION, 0.08, 0.35, 0.10)


_ARM_B = ArmOutcomeModel(SLST_PFS, POST_PROGRESSION, 0.12, 0.08, 0.05)

SCENARIOS: dict[str, Scenario] = {
    "benefit": Scenario(
        "benefit",
        {"A": _arm_a(RT_FLST_PFS), "B": _ARM_B},
        None,
        "Published curves: RT + continued FLST median PFS 8.6 mo vs SLST 3.1 mo.",
    ),
    "design": Scenario(
        "design",
        {"A": _arm_a(SLST_PFS.scaled(DESIGN_HAZARD_RATIO)), "B": _ARM_B},
        DESIGN_HAZARD_RATIO,
        f"Design assumption: proportional hazards, HR {DESIGN_HAZARD_RATIO:g} on the SLST curve.",
    ),
    "null": Scenario(
        "null",
        {"A": _ARM_B, "B": _ARM_B},
        1.0,
        "No difference: both arms follow the SLST curves.",
    ),
}


def get_scenario(name: str) -> Scenario:
    from oligotrial.errors import InputError

    try:
        return SCENARIOS[name]
    except KeyError:
        known = ", ".join(sorted(SCENARIOS))
        raise InputError("scenario", f"unknown scenario {name!r}; use one of {known}") from None
