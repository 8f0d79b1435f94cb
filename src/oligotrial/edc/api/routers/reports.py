"""The DSMB report (HTML): the interim boundary, observed z and conditional power added to
the analysis report, built by the one report path from the same analysis data sets as the
exports (statisticians)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.schemas import Day
from oligotrial.edc.models import Role
from oligotrial.edc.services.access import require_role

router = Router(tags=["reports"])
BLOCK = 64 * 1024
HTML_RESPONSE = {
    "description": "the DSMB report as one HTML file (figures inside)",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def _blocks(text: str) -> Iterator[bytes]:
    data = text.encode("utf-8")
    for start in range(0, len(data), BLOCK):
        yield data[start : start + BLOCK]


@router.get(
    "/reports/dsmb",
    response={200: None, **error_responses()},
    openapi_extra={"responses": {200: HTML_RESPONSE}},
)
def dsmb_report(request: HttpRequest, data_cutoff: Day) -> Any:
    """The DSMB report at ``data_cutoff`` (YYYY-MM-DD)."""
    from oligotrial.demo.analysis import analysis_data, report_inputs
    from oligotrial.edc.export import extract
    from oligotrial.reports import build_report, render_html

    staff = actor(request)
    require_role(staff, frozenset({Role.STATISTICIAN}), "reading the DSMB report")
    data = analysis_data(extract(staff, data_cutoff=data_cutoff))
    source = f"trial database, read through the API by {staff.username}"
    html = render_html(build_report(report_inputs(data, source), dsmb=True))
    response = StreamingHttpResponse(_blocks(html), content_type="text/html; charset=utf-8")
    name = f"dsmb-report-{data_cutoff.isoformat()}.html"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
