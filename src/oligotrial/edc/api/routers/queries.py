"""Data queries: list, read, close (data managers and monitors). Answering is done elsewhere."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router

from oligotrial.edc import services
from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.schemas import CloseQueryIn, QueryOut
from oligotrial.edc.services.query_status import close_query, describe, read_query

router = Router(tags=["queries"])


@router.get("/queries", response={200: list[QueryOut], **error_responses()})
def queries(
    request: HttpRequest,
    status: Literal["open", "closed", "all"] = "open",
    site: str | None = None,
) -> Any:
    """The queries of the sites you see (``status`` all: open and closed)."""
    return services.list_queries(actor(request), site, None if status == "all" else status)


@router.get("/queries/{query_id}", response={200: QueryOut, **error_responses()})
def query(request: HttpRequest, query_id: int) -> Any:
    return read_query(actor(request), query_id)


@router.post("/queries/{query_id}/close", response={200: QueryOut, **error_responses()})
def close(request: HttpRequest, query_id: int, payload: CloseQueryIn) -> Any:
    """Close an open query, with the reason (data managers)."""
    return describe(close_query(actor(request), query_id, reason=payload.reason))
