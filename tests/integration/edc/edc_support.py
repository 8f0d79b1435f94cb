"""Building a small trial through the services: sites, staff, allocation list, patients."""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from oligotrial.edc import services
from oligotrial.edc.models import Staff

CRITERIA = [f"I{i}" for i in range(1, 11)] + [f"E{i}" for i in range(1, 18)]
TODAY = dt.datetime.now(dt.UTC).date()
SCREENED_ON = TODAY - dt.timedelta(days=10)
SEED = 20260301
EXAMPLES = Path(__file__).parents[3] / "examples" / "screening"


@cache
def _example(name: str) -> dict[str, Any]:
    data = json.loads((EXAMPLES / name).read_text())
    return data.get("record", data)  # type: ignore[no-any-return]


def example(name: str) -> dict[str, Any]:
    """A shipped example screening record (a fresh copy)."""
    return copy.deepcopy(_example(name))


def screening_record(
    number: str,
    oligo: str = "intrahepatic-only",
    ici: str = "ici",
    *,
    screened_on: dt.date = SCREENED_ON,
    example_name: str = "eligible-01.json",
) -> dict[str, Any]:
    """An eligible screening record for patient ``number`` screened on SCREENED_ON whose
    strata are ``oligo`` and ``ici`` (intrahepatic-only: only its liver lesions kept)."""
    record = example(example_name)
    record["patient_id"] = number
    record["screening_date"] = screened_on.isoformat()
    record["birth_date"] = "1960-05-01"
    record["flst"]["contains_ici"] = ici == "ici"
    if oligo == "intrahepatic-only":
        lesions = record["oligoprogression"]["lesions"]
        record["oligoprogression"]["lesions"] = [x for x in lesions if x["organ"] == "liver"]
    return record


def all_met() -> list[dict[str, Any]]:
    """Every criterion decided in favour (rows made directly, for load tests only)."""
    return [
        {
            "id": c,
            "kind": "inclusion" if c.startswith("I") else "exclusion",
            "status": "met" if c.startswith("I") else "not_met",
            "in_favour": True,
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
) -> None:
    """Screen (an eligible record with these strata) and consent a patient."""
    screening = services.screen(actor, screening_record(number, oligo, ici))
    assert screening.eligible, [v["id"] for v in screening.verdicts if not v["in_favour"]]
    services.record_consent(actor, number, version="1.0", signed_on=SCREENED_ON)


def randomized_patients(n: int = 3) -> Trial:
    """A trial with ``n`` patients at S01 screened, consented and randomized today."""
    t = build_trial()
    for i in range(n):
        enrol(t.coord["S01"], f"S01-{i:03d}")
        services.randomize(t.coord["S01"], f"S01-{i:03d}", randomized_on=TODAY)
    return t
