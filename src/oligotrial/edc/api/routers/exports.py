"""Analysis data sets (ADSL, ADTTE, ADRS, ADAE and the logs) as CSV, streamed.

The data sets come from the one analysis path (:func:`oligotrial.edc.export.extract`, then
:func:`oligotrial.demo.analysis.analysis_data`: the endpoint engine, the protocol's
censoring rules); the CSV is written a block of rows at a time, so the response never
holds the whole file (statisticians, data managers, monitors; site isolation applies).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from typing import Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.schemas import Day

router = Router(tags=["exports"])
Dataset = Literal["adsl", "adtte", "adrs", "adae", "screening", "visits", "ctdna"]
ROWS_PER_BLOCK = 500


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def csv_blocks(columns: list[str], rows: Iterator[tuple[Any, ...]]) -> Iterator[bytes]:
    """The CSV text of ``rows`` under ``columns``, in blocks of :data:`ROWS_PER_BLOCK`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for i, row in enumerate(rows, 1):
        writer.writerow([_cell(v) for v in row])
        if i % ROWS_PER_BLOCK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


CSV_RESPONSE = {
    "description": "the data set as CSV (header row first)",
    "content": {"text/csv": {"schema": {"type": "string"}}},
}


@router.get(
    "/exports/{dataset}",
    response={200: None, **error_responses()},
    openapi_extra={"responses": {200: CSV_RESPONSE}},
)
def export(request: HttpRequest, dataset: Dataset, data_cutoff: Day) -> Any:
    """One analysis data set at ``data_cutoff`` (YYYY-MM-DD), as CSV."""
    from oligotrial.demo.analysis import analysis_data
    from oligotrial.edc.export import extract

    frame = analysis_data(extract(actor(request), data_cutoff=data_cutoff)).frames()[dataset]
    rows = frame.itertuples(index=False, name=None)
    response = StreamingHttpResponse(
        csv_blocks([str(c) for c in frame.columns], rows), content_type="text/csv; charset=utf-8"
    )
    name = f"{dataset}-{data_cutoff.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
