"""Building a small trial through the services: sites, staff, allocation list, patients."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from oligotrial.edc import services
from oligotrial.edc.models import Staff

CRITERIA = [f"I{i}" for i in range(1, 11)] + [f"E{i}" for i in range(1, 18)]
TODAY = dt.datetime.now(dt.UTC).date()
SCREENED_ON = TODAY - dt.timedelta(days=10)
SEED = 20260301


def all_met() -> list[dict[str, str]]:
    """Every criterion decided in favour: inclusions met, exclusions not met."""
    return [
        {
            "id": c,
            "kind": "inclusion" if c.startswith("I") else "exclusion",
            "status": "met" if c.startswith("I") else "not_met",
        }
        for c in CRITERIA
    ]


@dataclass
class TrialDb:
    """One test's database: its vendor and the environment a child process needs."""

    vendor: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Trial:
    admin: Staff
    coord: dict[str, Staff]  # site code -> coordinator
    monitor: Staff  # bound to S01
    dm: Staff
    stat: Staff


def build_trial(
    sites: tuple[str, ...] = ("S01", "S02"), *, slots_per_stratum: int = 40, generate: bool = True
) -> Trial:
    admin = services.bootstrap_admin("admin")
    coord = {}
    for code in sites:
        services.add_site(admin, code, f"Hospital {code}")
        coord[code] = services.add_staff(admin, f"coord-{code}", "coordinator", code)
    monitor = services.add_staff(admin, "monitor", "monitor", sites[0])
    dm = services.add_staff(admin, "dm", "data_manager")
    stat = services.add_staff(admin, "stat", "statistician")
    if generate:
        services.generate_allocation_list(stat, seed=SEED, slots_per_stratum=slots_per_stratum)
    return Trial(admin, coord, monitor, dm, stat)


def enrol(
    actor: Staff,
    number: str,
    oligo: str = "intrahepatic-only",
    ici: str = "ici",
    **screen_kwargs: Any,
) -> None:
    """Screen (all criteria met) and consent a patient."""
    services.screen(
        actor,
        number,
        screened_on=SCREENED_ON,
        verdicts=all_met(),
        stratification={"oligoprogression_site": oligo, "flst_ici": ici},
        birth_date="1960-05-01",
        **screen_kwargs,
    )
    services.record_consent(actor, number, version="1.0", signed_on=SCREENED_ON)
