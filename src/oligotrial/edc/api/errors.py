"""One error shape for every API failure, ``{"field": ..., "problem": ...}``, with its status.

Domain errors map as the web layer maps them: bad input 422 (naming the field), a patient,
record or query that does not exist *or belongs to another site* 404 (the same answer, so a
site cannot learn what another site holds), a role that may not act 403, a state that does
not allow the action or a concurrent change 409. Nothing raised in a handler becomes an
HTML page or a traceback.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from oligotrial.errors import InputError, PermissionDenied, StateError

if TYPE_CHECKING:
    from ninja import NinjaAPI

log = logging.getLogger("oligotrial.api")

#: fields whose "no such ..." answer means the thing is not there (for this user): 404
NOT_FOUND_FIELDS = frozenset(
    {
        "patient",
        "record_id",
        "query_id",
        "exposure_id",
        "randomization",
        "signature_id",
        "freeze_id",
    }
)
#: request fields whose value is never echoed in a message (re-authentication at signing)
SECRET_FIELDS = frozenset({"password", "totp_code"})
#: every status an operation may answer besides its success
ERROR_STATUSES = (401, 403, 404, 409, 413, 422, 429)


class ErrorOut(Schema):
    field: str
    problem: str


def error_responses() -> dict[int, Any]:
    return dict.fromkeys(ERROR_STATUSES, ErrorOut)


def _status_of(exc: InputError) -> int:
    if exc.field in NOT_FOUND_FIELDS and exc.problem.startswith("no "):
        return 404
    return 422


def _described(error: dict[str, Any]) -> tuple[str, str]:
    """(field, problem) of one pydantic error; the request part (body, path, query) dropped."""
    loc = [str(p) for p in error.get("loc", ())]
    if loc and loc[0] in {"body", "path", "query", "header", "cookie", "form"}:
        loc = loc[1:]
    if loc and loc[0] == "payload":  # the body parameter's own name
        loc = loc[1:]
    field = ".".join(loc) or "(body)"
    kind = error.get("type", "")
    if kind == "missing":
        return field, _("is required")
    if kind == "extra_forbidden":
        return field, _("unknown field (misspelt?)")
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    echo = kind not in {"model_type", "dict_type", "model_attributes_type"}
    if "input" in error and echo and not SECRET_FIELDS.intersection(loc):
        message = f"{message} (got {error['input']!r})"[:300]
    return field, message


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``."""

    def reply(request: HttpRequest, status: int, field: str, problem: str) -> HttpResponse:
        return api.create_response(request, {"field": field, "problem": problem}, status=status)

    @api.exception_handler(InputError)
    def _input(request: HttpRequest, exc: InputError) -> HttpResponse:
        return reply(request, _status_of(exc), exc.field, exc.problem)

    @api.exception_handler(PermissionDenied)
    def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return reply(request, 403, "role", str(exc))

    @api.exception_handler(StateError)
    def _state(request: HttpRequest, exc: StateError) -> HttpResponse:
        return reply(request, 409, "state", str(exc))

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        field, problem = _described(exc.errors[0]) if exc.errors else ("(body)", "invalid")
        if len(exc.errors) > 1:
            problem += " " + _("(and %(n)d more problem(s))") % {"n": len(exc.errors) - 1}
        return reply(request, 422, field, problem)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = reply(
            request,
            401,
            "authorization",
            _("a valid API token (Authorization: Bearer …) or a signed-in session is required"),
        )
        response["WWW-Authenticate"] = 'Bearer realm="oligotrial"'
        return response

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = reply(request, 429, "rate", _("too many requests; try again shortly"))
        wait = getattr(exc, "wait", None)
        if wait:
            response["Retry-After"] = str(int(wait))
        return response

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403 and "CSRF" in str(exc):
            return reply(request, 403, "csrf", _("the CSRF token is missing or wrong"))
        return reply(request, exc.status_code, "", str(exc))

    @api.exception_handler(Http404)
    def _missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return reply(request, 404, "", _("not found"))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return reply(request, 413, "(body)", _("the request body is too large"))

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API request failed: %s %s", request.method, request.path)
        return reply(request, 500, "", _("internal error; it has been logged"))
