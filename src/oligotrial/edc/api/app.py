"""The API object: authentication, rate limits, error handlers and every router."""

from __future__ import annotations

from ninja import NinjaAPI

from oligotrial import __version__
from oligotrial.edc.api import errors
from oligotrial.edc.api.auth import StaffRateThrottle, StaffSession, TokenAuth
from oligotrial.edc.api.routers import (
    admin,
    exports,
    fhir,
    freeze_lock,
    patients,
    queries,
    records,
    reports,
    screening,
    signatures,
    visits,
)

DESCRIPTION = """The trial database of NCT06841172 over HTTP: the same services (and so the
same rules, roles and site isolation) as the web pages. Authenticate with a staff member's
API token (`Authorization: Bearer olt_…`, issued with `oligotrial tokens create`) or the web
application's session (send the CSRF token with every change). Every error is
`{"field": …, "problem": …}`; another site's patient answers 404 like a missing one."""


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="oligotrial API",
        version=__version__,
        description=DESCRIPTION,
        urls_namespace="api",
        auth=[TokenAuth(), StaffSession()],
        throttle=[StaffRateThrottle()],
    )
    errors.install(api)
    routers = (admin, screening, fhir, patients, visits, records, queries, exports, reports)
    for module in (*routers, signatures, freeze_lock):
        api.add_router("/", module.router)
    return api


api = build_api()
