"""Writing the analysis data sets (CSV, and SAS transport v5 via pyreadstat) and the report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from oligotrial.demo.analysis import AnalysisData, report_inputs


def _xpt_ready(df: pd.DataFrame) -> pd.DataFrame:
    """XPT v5 holds numbers and text only: dates and booleans become text, None empty."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype).startswith("bool"):
            values = out[column]
            if (
                pd.api.types.is_numeric_dtype(values.dropna().infer_objects())
                and not values.dropna().map(lambda v: isinstance(v, bool)).any()
            ):
                out[column] = pd.to_numeric(values)
            else:
                out[column] = values.map(lambda v: "" if v is None or v != v else str(v))
    return out


def _short_names(columns: list[str]) -> dict[str, str]:
    """XPT v5 names have at most 8 characters; longer ones are shortened (label keeps all)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        name = column if len(column) <= 8 else column.replace("STRAT_", "STR")[:8]
        k = 1
        while name in used:
            name = f"{name[: 7 - len(str(k)) + 1]}{k}"
            k += 1
        used.add(name)
        out[column] = name
    return out


def write_datasets(data: AnalysisData, folder: Path, *, xpt: bool = True) -> list[Path]:
    """One CSV per data set (and one .xpt per ADaM data set); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in data.frames().items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
        if xpt and name.startswith("ad") and not frame.empty:
            import pyreadstat

            xpath = folder / f"{name}.xpt"
            names = _short_names([str(c) for c in frame.columns])
            pyreadstat.write_xport(
                _xpt_ready(frame).rename(columns=names),
                str(xpath),
                table_name=name.upper(),
                file_format_version=5,
                column_labels=[str(c)[:40] for c in frame.columns],
            )
            written.append(xpath)
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
    exploratory section when ``user`` may read the laboratory results)."""
    from oligotrial.reports import build_report, write_html, write_pdf

    folder.mkdir(parents=True, exist_ok=True)
    report = build_report(report_inputs(data, source, exploratory_user=user), dsmb=dsmb)
    stem = "dsmb-report" if dsmb else "report"
    written = []
    if "html" in formats:
        written.append(write_html(report, folder / f"{stem}.html"))
    if "pdf" in formats:
        written.append(write_pdf(report, folder / f"{stem}.pdf"))
    return [Path(p) for p in written]
