"""The analysis report: tables, figures (matplotlib) and HTML/PDF rendering.

>>> from oligotrial.reports import ReportInputs, build_report, write_html, write_pdf
>>> report = build_report(ReportInputs(adsl, adtte, adrs, adae, adtr, screening, visits, ctdna,
...                                   protocol=load_protocol(path)))
>>> write_html(report, "out/report.html"); write_pdf(report, "out/report.pdf")
"""

from oligotrial.reports.html import render_html, write_html
from oligotrial.reports.inputs import ReportInputs
from oligotrial.reports.pdf import write_pdf
from oligotrial.reports.report import SECTIONS, Report, build_report

__all__ = [
    "SECTIONS",
    "Report",
    "ReportInputs",
    "build_report",
    "render_html",
    "write_html",
    "write_pdf",
]
