"""The API object: authentication, rate limits, error handlers and every router."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

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


class _OnceBuiltSchemaAPI(NinjaAPI):
    """The OpenAPI document is fixed once the routers are added, so it is built once per URL
    prefix. Built on every request, as the framework does, it costs half a second of
    CPU; 64 clients fetching it kept a two-core server busy for several seconds."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        prefix = self.get_root_path(path_params or {}) if path_prefix is None else path_prefix
        built: dict[str, OpenAPISchema] = self.__dict__.setdefault("_built_schemas", {})
        if prefix not in built:
            built[prefix] = super().get_openapi_schema(path_prefix=prefix)
        return built[prefix]


def build_api() -> NinjaAPI:
    api = _OnceBuiltSchemaAPI(
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
