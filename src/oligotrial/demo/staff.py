"""Setting up a demo trial database: schema, sites, staff with their roles, the list.

Everything goes through the administration and randomization services (audited): an
administrator adds the sites and users; the statistician generates the stratified
allocation list from a recorded seed and verifies it by regenerating it. Nothing here
touches Django before :func:`oligotrial.edc.settings.configure` has been called.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oligotrial.synth.catalogue import SITES

if TYPE_CHECKING:  # the models need Django configured; import them only when typing
    from oligotrial.edc.models import Staff

ADMIN = "admin"
STATISTICIAN = "statistician"
DATA_MANAGER = "datamanager"
MONITOR = "monitor"


def coordinator_name(site_code: str) -> str:
    return f"coord-{site_code.lower()}"


@dataclass(frozen=True)
class DemoStaff:
    admin: Staff
    statistician: Staff
    coordinators: dict[str, Staff]  # site code -> coordinator


def migrate() -> None:
    """Create the schema (Django migrations, including the audit triggers)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def connect(description: str) -> None:
    """Make sure the configured database answers (a clear message when it does not)."""
    from django.db import DatabaseError, connection

    from oligotrial.errors import StateError

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        lines = str(exc).strip().splitlines()
        raise StateError(
            f"cannot connect to the database at {description}: "
            f"{lines[-1] if lines else type(exc).__name__}"
        ) from None


def require_empty(description: str) -> None:
    """A demo fills a new database only: refuse one that already has staff."""
    from oligotrial.edc.models import Staff as StaffModel
    from oligotrial.errors import StateError

    if StaffModel.objects.exists():
        raise StateError(f"the database {description} is not empty; a demo needs a new one")


def create_staff() -> DemoStaff:
    from oligotrial.edc import services

    admin = services.bootstrap_admin(ADMIN, "Trial administrator")
    for site in SITES:
        services.add_site(admin, site.code, site.name)
    stat = services.add_staff(admin, STATISTICIAN, "statistician", None, "Trial statistician")
    services.add_staff(admin, DATA_MANAGER, "data_manager", None, "Data manager")
    services.add_staff(admin, MONITOR, "monitor", None, "Clinical monitor")
    coordinators = {}
    for site in SITES:
        coordinators[site.code] = services.add_staff(
            admin,
            coordinator_name(site.code),
            "coordinator",
            site.code,
            f"Study coordinator, {site.name}",
        )
        services.add_staff(
            admin,
            f"inv-{site.code.lower()}",
            "investigator",
            site.code,
            f"Principal investigator, {site.name}",
        )
    return DemoStaff(admin, stat, coordinators)


def prepare_allocation_list(stat: Staff, *, seed: int, slots_per_stratum: int) -> str:
    """Generate the list (statistician) and verify it; returns its fingerprint."""
    from oligotrial.edc import services
    from oligotrial.errors import StateError

    record = services.generate_allocation_list(stat, seed=seed, slots_per_stratum=slots_per_stratum)
    check = services.verify_allocation_list(stat)
    if not check.ok:
        raise StateError(f"the allocation list does not verify: {check.problems}")
    return str(record.fingerprint)
