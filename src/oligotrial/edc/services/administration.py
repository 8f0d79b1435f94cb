"""Sites and staff (administrators); the database lock is in services.lock.

The first administrator is created under the trial state row's lock, so two start-ups at
once make one; a site or user added twice at once is refused for the second as a conflict
(the database's unique constraint decides).
"""

from __future__ import annotations

from oligotrial.countries import require_country
from oligotrial.edc.models import SITE_ROLES, Role, Site, Staff, TrialState
from oligotrial.edc.models.sites import DEFAULT_SITE_COUNTRY, DEFAULT_SITE_LANGUAGE
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_role, require_unlocked
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import clean, require_text
from oligotrial.errors import InputError, StateError

ADMIN = frozenset({Role.ADMIN})


@atomic_service
def bootstrap_admin(username: str, full_name: str = "") -> Staff:
    """The first administrator of an empty database (refused once any staff exists)."""
    require_text(username, "staff.username", max_length=150, blank=False)
    require_text(full_name, "staff.full_name", max_length=200)
    TrialState.objects.select_for_update().filter(id=1).first()  # one bootstrap at a time
    if Staff.objects.exists():
        raise StateError("staff already exist; an administrator must add new users")
    staff = Staff(username=username, full_name=full_name, role=Role.ADMIN)
    clean(staff, "staff", exclude=("user",))
    staff.save()
    audit.append(None, "create", staff, audit.changes_between(None, audit.snapshot(staff)))
    return staff


@atomic_service
def add_site(
    actor: Staff,
    code: str,
    name: str,
    language: str = DEFAULT_SITE_LANGUAGE,
    country: str = DEFAULT_SITE_COUNTRY,
) -> Site:
    """A new site; ``language`` is what its staff's pages are shown in until they choose,
    ``country`` its ISO 3166-1 alpha-3 code (SDTM DM.COUNTRY)."""
    actor = current_actor(actor)
    require_unlocked()
    require_role(actor, ADMIN, "adding a site")
    require_text(code, "site.code", max_length=16, blank=False)
    require_text(name, "site.name", max_length=200, blank=False)
    if Site.objects.filter(code=code).exists():
        raise InputError("site.code", f"site {code} already exists")
    require_text(language, "site.language", max_length=8, blank=False)
    require_country(country, "site.country")
    site = Site(code=code, name=name, language=language, country=country)
    clean(site, "site")
    if "|" in code or "=" in code:
        raise InputError("site.code", "a site code cannot contain '|' or '='")
    site.save()
    audit.append(actor, "create", site, audit.changes_between(None, audit.snapshot(site)))
    return site


@atomic_service
def add_staff(
    actor: Staff, username: str, role: str, site_code: str | None = None, full_name: str = ""
) -> Staff:
    actor = current_actor(actor)
    require_unlocked()
    require_role(actor, ADMIN, "adding a user")
    require_text(username, "staff.username", max_length=150, blank=False)
    require_text(full_name, "staff.full_name", max_length=200)
    require_text(role, "staff.role", max_length=20)
    if site_code is not None:
        require_text(site_code, "staff.site", max_length=16)
    if role not in Role.values:
        raise InputError("staff.role", f"{role!r} is not one of {', '.join(Role.values)}")
    site = None
    if site_code:
        site = Site.objects.filter(code=site_code).first()
        if site is None:
            raise InputError("staff.site", f"no site {site_code}")
    if role in SITE_ROLES and site is None:
        raise InputError("staff.site", f"a {role} must belong to a site")
    if role in {Role.DATA_MANAGER, Role.STATISTICIAN, Role.ADMIN} and site is not None:
        raise InputError("staff.site", f"a {role} works for the whole trial, not one site")
    if Staff.objects.filter(username=username).exists():
        raise InputError("staff.username", f"user {username} already exists")
    staff = Staff(username=username, full_name=full_name, role=role, site=site)
    clean(staff, "staff", exclude=("user",))
    staff.save()
    audit.append(actor, "create", staff, audit.changes_between(None, audit.snapshot(staff)))
    return staff
