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
from oligotrial.reports.report import CRITERIA_NAMES, SPENDING_NAMES, Report
from oligotrial.reports.statistics import KM_CI_NAME
from oligotrial.response.settings import ResponseSettings


def _table(df: pd.DataFrame) -> Markup:
    return Markup(df.to_html(index=False, border=0, escape=True, na_rep=""))


def render_html(report: Report) -> str:
    env = Environment(
        loader=PackageLoader("oligotrial.reports", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    inputs = report.inputs
    names = dict(inputs.arm_names)
    exp, ctl = inputs.experimental_arm, inputs.control_arm
    figs = {k: to_data_uri(f) for k, f in report.figures.items()}
    dor = report.response.dor
    rs = ResponseSettings.from_protocol(inputs.protocol.response)
    at_risk = {
        k: _table(fmt.at_risk_table(curves, names, report.risk_times[k]))
        for k, curves in (("pfs", report.pfs.curves), ("os", report.os.curves), ("dor", dor))
        if k in report.risk_times
    }
    extra = report.exploratory
    context = {
        "exploratory": None
        if extra is None
        else {
            "detection": _table(extra.detection),
            "clearance": _table(extra.clearance),
            "landmark": None if extra.landmark is None else _table(extra.landmark),
            "landmark_note": extra.landmark_note,
            "cox": None if extra.cox is None else _table(extra.cox),
            "cox_note": extra.cox_note,
            "genes": None if extra.genes.empty else _table(extra.genes),
            "spaghetti": figs.get("spaghetti"),
        },
        "protocol_id": report.inputs.protocol_id,
        "protocol_version": report.inputs.protocol_version,
        "title": report.inputs.title,
        "data_cutoff": report.inputs.data_cutoff or "not given",
        "data_source": report.inputs.data_source,
        "generated": report.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "dsmb": report.dsmb,
        "cut": report.cut,
        "sections": report.sections,
        "fig": {
            k: figs.get(k)
            for k in ("consort", "pfs", "os", "forest", "dor", "waterfall", "swimmer", "spider")
        },
        "table1": _table(report.table1),
        "pfs_table": _table(fmt.endpoint_table(report.pfs, names)),
        "pfs_rows": fmt.comparison_rows(report.pfs, exp, ctl),
        "os_table": _table(fmt.endpoint_table(report.os, names)),
        "os_rows": fmt.comparison_rows(report.os, exp, ctl),
        "at_risk": at_risk,
        "forest_table": _table(fmt.forest_table(report.forest, names, inputs.label)),
        "response_table": _table(
            fmt.response_table(report.response, names, CRITERIA_NAMES[rs.criteria], exp, ctl)
        ),
        "response_note": (
            f"{'Confirmed' if rs.confirmation_required else 'Unconfirmed'} best overall "
            f"response per {CRITERIA_NAMES[rs.criteria]} up to progression and before new "
            f"anticancer therapy; stable disease counts only from {rs.sd_min_days} days after "
            "randomization."
        ),
        "ctcae_version": inputs.protocol.safety.ctcae_version,
        "dor_table": _table(
            pd.DataFrame(
                [
                    {
                        "Arm": names.get(a, a),
                        "Responders": c.n,
                        "Events": c.events,
                        f"Median DOR, months ({KM_CI_NAME})": fmt.ci(
                            c.median, c.median_lower, c.median_upper
                        ),
                    }
                    for a, c in dor.items()
                ]
            )
        )
        if dor
        else "",
        "ae_summary": _table(report.ae_summary),
        "ae_by_term": _table(report.ae_by_term),
        "ae_grade3": _table(report.ae_grade3),
        "ae_serious": _table(report.ae_serious),
        "ae_grade5": _table(report.ae_grade5),
        "safety_notes": fmt.safety_notes(
            report.safety, names, tables.ae_outside_population(report.inputs.adae, report.safety)
        ),
        "itt_note": fmt.itt_note(report.safety, names),
        "completeness": (
            _table(report.completeness)
            if report.completeness is not None
            else Markup("<p>No visit log supplied.</p>")
        ),
        "design_table": _table(report.design_table()),
        "versions_table": _table(report.versions_table()),
        "exp": exp,
        "exp_name": names[exp],
        "ctl": ctl,
        "ctl_name": names[ctl],
        "key_rows": fmt.key_results(report.pfs, report.os, report.response, names, exp, ctl),
        "interim_rows": fmt.interim_rows(
            report.interim, SPENDING_NAMES.get(inputs.design.spending, inputs.design.spending), exp
        )
        if report.interim
        else None,
    }
    return env.get_template("report.html").render(**context)


def write_html(report: Report, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(report), encoding="utf-8")
    return out
