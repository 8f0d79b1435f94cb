"""Render a :class:`~.report.Report` as one self-contained HTML file (figures embedded as
base64 PNG, styles inline; no network access needed to open it). Template: Jinja2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from oligotrial import __version__
from oligotrial.reports import formatting as fmt
from oligotrial.reports import tables
from oligotrial.reports.figures._style import to_data_uri
from oligotrial.reports.report import Report


def _table(df: pd.DataFrame) -> Markup:
    return Markup(df.to_html(index=False, border=0, escape=True, na_rep=""))


def render_html(report: Report) -> str:
    env = Environment(loader=PackageLoader("oligotrial.reports", "templates"),
                      autoescape=select_autoescape(["html"]))
    names = dict(report.inputs.arm_names)
    figs = {k: to_data_uri(f) for k, f in report.figures.items()}
    dor = report.response.dor
    context = {
        "protocol_id": report.inputs.protocol_id,
        "protocol_version": report.inputs.protocol_version,
        "title": report.inputs.title,
        "data_cutoff": report.inputs.data_cutoff or "not given",
        "data_source": report.inputs.data_source,
        "generated": report.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "dsmb": report.dsmb,
        "sections": report.sections,
        "fig": {k: figs.get(k) for k in ("consort", "pfs", "os", "forest", "dor", "waterfall",
                                         "swimmer", "spider")},
        "table1": _table(report.table1),
        "pfs_table": _table(fmt.endpoint_table(report.pfs, names)),
        "pfs_rows": fmt.comparison_rows(report.pfs),
        "os_table": _table(fmt.endpoint_table(report.os, names)),
        "os_rows": fmt.comparison_rows(report.os),
        "response_table": _table(fmt.response_table(report.response, names)),
        "dor_table": _table(pd.DataFrame([
            {"Arm": names.get(a, a), "Responders": c.n, "Events": c.events,
             "Median DOR, months (95% CI)": fmt.ci(c.median, c.median_lower, c.median_upper)}
            for a, c in dor.items()])) if dor else "",
        "ae_summary": _table(report.ae_summary),
        "ae_by_term": _table(report.ae_by_term),
        "ae_grade3": _table(report.ae_grade3),
        "ae_serious": _table(report.ae_serious),
        "ae_grade5": _table(report.ae_grade5),
        "safety_notes": fmt.safety_notes(report.safety, names, tables.ae_outside_population(
            report.inputs.adae, report.safety)),
        "itt_note": fmt.itt_note(report.safety, names),
        "completeness": (_table(report.completeness) if report.completeness is not None
                         else Markup("<p>No visit log supplied.</p>")),
        "design_table": _table(report.design_table()),
        "versions_table": _table(report.versions_table()),
        "arm_a": names.get("A", "A"),
        "arm_b": names.get("B", "B"),
        "key_rows": fmt.key_results(report.pfs, report.os, report.response, names),
        "interim_rows": fmt.interim_rows(report.interim) if report.interim else None,
    }
    return env.get_template("report.html").render(**context)


def write_html(report: Report, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(report), encoding="utf-8")
    return out
