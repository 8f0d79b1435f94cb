"""Writing the analysis data sets (CSV; ADaM as SAS transport v5 and Dataset-JSON) and the
report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from oligotrial import __version__
from oligotrial.demo.analysis import AnalysisData, report_inputs
from oligotrial.interop.cdisc.dataset import write_dataset_json, write_xpt


def write_datasets(data: AnalysisData, folder: Path, *, xpt: bool = True) -> list[Path]:
    """One CSV per data set as the report reads it, and (``xpt``) each ADaM data set as SAS
    transport v5 and Dataset-JSON 1.1 with its labels and formats; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in data.frames().items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
    if xpt:
        created = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for dataset in data.adam:
            written.append(write_xpt(dataset, folder))
            written.append(
                write_dataset_json(
                    dataset,
                    folder,
                    study_oid=data.protocol_id,
                    created=created,
                    source_version=__version__,
                )
            )
    return written


def write_report(
    data: AnalysisData,
    folder: Path,
    *,
    source: str,
    formats: tuple[str, ...],
    dsmb: bool = False,
    user: str | None = None,
) -> list[Path]:
    """The analysis report (HTML and/or PDF) built from the analysis data sets (with the
    exploratory section when ``user`` may read the laboratory results); no formats, no
    report built."""
    from oligotrial.reports import build_report, write_html, write_pdf

    if not formats:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    report = build_report(report_inputs(data, source, exploratory_user=user), dsmb=dsmb)
    stem = "dsmb-report" if dsmb else "report"
    written = []
    if "html" in formats:
        written.append(write_html(report, folder / f"{stem}.html"))
    if "pdf" in formats:
        written.append(write_pdf(report, folder / f"{stem}.pdf"))
    return [Path(p) for p in written]
