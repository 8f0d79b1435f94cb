"""The analysis report: tables, figures (matplotlib) and HTML/PDF rendering.

>>> from oligotrial.reports import ReportInputs, build_report, write_html, write_pdf
>>> report = build_report(ReportInputs(adsl, adtte, adrs, adae, adtr, screening, visits, ctdna,
...                                   protocol=load_protocol(path)))
>>> write_html(report, "out/report.html"); write_pdf(report, "out/report.pdf")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oligotrial.reports.html import render_html, write_html
    from oligotrial.reports.inputs import ReportInputs
    from oligotrial.reports.pdf import write_pdf
    from oligotrial.reports.report import SECTIONS, Report, build_report

# Loaded on first use, so that importing one module of the package (the design-exploration
# page, a figure) does not load the whole report stack.
_HOME = {
    "render_html": "html",
    "write_html": "html",
    "ReportInputs": "inputs",
    "write_pdf": "pdf",
    "SECTIONS": "report",
    "Report": "report",
    "build_report": "report",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"oligotrial.reports.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SECTIONS",
    "Report",
    "ReportInputs",
    "build_report",
    "render_html",
    "write_html",
    "write_pdf",
]
