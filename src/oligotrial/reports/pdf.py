"""Render a :class:`~.report.Report` as PDF with matplotlib's PdfPages.

Why this way: it needs nothing beyond matplotlib, which the report already uses — no
browser, no system libraries (a headless Chromium or WeasyPrint would need either), so
the PDF renders the same on a fresh machine, in CI and on a locked-down hospital server.
Figures are placed as vector pages; tables are typeset on A4 pages and split across
pages when long. The HTML remains the richer, primary format.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from oligotrial import __version__
from oligotrial.reports import formatting as fmt
from oligotrial.reports import tables
from oligotrial.reports.figures._style import styled
from oligotrial.reports.report import CRITERIA_NAMES, SPENDING_NAMES, Report
from oligotrial.reports.statistics import KM_CI_NAME
from oligotrial.response.settings import ResponseSettings

A4 = (8.27, 11.69)
ROWS_PER_PAGE = 38


def _text_page(title: str, lines: list[str]) -> Figure:
    fig = Figure(figsize=A4)
    fig.text(0.07, 0.94, title, fontsize=15, fontweight="bold", va="top")
    fig.text(
        0.07, 0.90, "\n".join(lines), fontsize=9.5, va="top", linespacing=1.6, family="DejaVu Sans"
    )
    return fig


def _table_pages(title: str, df: pd.DataFrame) -> list[Figure]:
    pages = []
    chunks = [df.iloc[i : i + ROWS_PER_PAGE] for i in range(0, max(len(df), 1), ROWS_PER_PAGE)]
    for k, chunk in enumerate(chunks):
        fig = Figure(figsize=A4)
        fig.text(
            0.05,
            0.96,
            title + (f" (continued {k + 1})" if k else ""),
            fontsize=12,
            fontweight="bold",
            va="top",
        )
        ax = fig.add_axes((0.04, 0.04, 0.92, 0.88))
        ax.axis("off")
        cells = chunk.astype(str).replace({"nan": "", "None": ""}).to_numpy().tolist()
        labels = [textwrap.fill(str(c), 22) for c in df.columns]
        longest = [
            max([*(len(x) for x in labels[j].split("\n")), *[len(r[j]) for r in cells]]) + 2
            for j in range(len(labels))
        ]
        widths = [w / sum(longest) for w in longest]
        table = ax.table(
            cellText=cells or [[""] * len(labels)],
            colLabels=labels,
            colWidths=widths,
            loc="upper center",
            cellLoc="left",
            colLoc="left",
        )
        table.auto_set_font_size(False)
        table.set_fontsize(max(5.5, min(8.0, 1000.0 / sum(longest))))
        table.scale(1.0, 1.25)
        for (row, _), cell in table.get_celld().items():
            cell.set_linewidth(0.3)
            if row == 0:
                lines = max(label.count("\n") + 1 for label in labels)
                cell.set_height(cell.get_height() * lines)
                cell.set_facecolor("#eef1f4")
                cell.get_text().set_fontweight("bold")
        pages.append(fig)
    return pages


def _key_results(report: Report) -> list[str]:
    names = dict(report.inputs.arm_names)
    exp, ctl = report.inputs.experimental_arm, report.inputs.control_arm
    lines = [
        report.inputs.title,
        "",
        f"Protocol {report.inputs.protocol_id} version {report.inputs.protocol_version}; "
        f"data cut-off {report.inputs.data_cutoff or 'not given'}; "
        f"oligotrial {__version__}; data source: {report.inputs.data_source}.",
        "",
        *textwrap.wrap(
            "Efficacy: " + fmt.itt_note(report.safety, names) + " Adverse "
            "events: safety population (see the adverse-event pages).",
            95,
        ),
        "",
    ]
    for label, e in (("Progression-free survival", report.pfs), ("Overall survival", report.os)):
        lines.append(label)
        for arm, c in e.curves.items():
            lines.append(
                f"    {names.get(arm, arm)}: {c.events}/{c.n} events, median "
                f"{fmt.ci(c.median, c.median_lower, c.median_upper)} months "
                f"({KM_CI_NAME})"
            )
        lines += [f"    {k}: {v}" for k, v in fmt.comparison_rows(e, exp, ctl)]
        lines.append("")
    r = report.response
    for arm in names:
        lines.append(f"ORR {names[arm]}: {fmt.pct_ci(r.orr[arm])}")
    if report.interim is not None:
        spending = SPENDING_NAMES.get(report.inputs.design.spending, report.inputs.design.spending)
        lines += ["", "Interim monitoring"] + [
            f"    {k}: {v}" for k, v in fmt.interim_rows(report.interim, spending, exp)
        ]
    return lines


def write_pdf(report: Report, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    names = dict(report.inputs.arm_names)
    kind = "DSMB report" if report.dsmb else "Analysis report"
    pages: list[Figure] = [_text_page(f"{report.inputs.protocol_id}: {kind}", _key_results(report))]
    order = ("consort", "pfs", "os", "forest", "dor", "waterfall", "swimmer", "spider")
    figure_pages = [report.figures[k] for k in order if k in report.figures]
    pages += figure_pages[:1]
    pages += _table_pages("Baseline characteristics", report.table1)
    pages += figure_pages[1:]
    pages += _table_pages("PFS by arm", fmt.endpoint_table(report.pfs, names))
    pages += _table_pages("OS by arm", fmt.endpoint_table(report.os, names))
    pages += _table_pages(
        "PFS by subgroup", fmt.forest_table(report.forest, names, report.inputs.label)
    )
    criteria = ResponseSettings.from_protocol(report.inputs.protocol.response).criteria
    pages += _table_pages(
        "Tumour response",
        fmt.response_table(
            report.response,
            names,
            CRITERIA_NAMES[criteria],
            report.inputs.experimental_arm,
            report.inputs.control_arm,
        ),
    )
    notes = fmt.safety_notes(
        report.safety, names, tables.ae_outside_population(report.inputs.adae, report.safety)
    )
    pages.append(
        _text_page(
            "Adverse events: population",
            [line for note in notes for line in [*textwrap.wrap(note, 95), ""]],
        )
    )
    pages += _table_pages("Adverse events", report.ae_summary)
    pages += _table_pages("Adverse events by SOC and term", report.ae_by_term)
    pages += _table_pages("Grade ≥ 3 adverse events by SOC and term", report.ae_grade3)
    pages += _table_pages("Serious adverse events by SOC and term", report.ae_serious)
    pages += _table_pages("Grade 5 (fatal) adverse events by SOC and term", report.ae_grade5)
    if report.completeness is not None:
        pages += _table_pages("Data completeness by site", report.completeness)
    extra = report.exploratory
    if extra is not None:
        pages += _table_pages("Exploratory: ctDNA detected by time point and arm", extra.detection)
        pages += _table_pages("Exploratory: ctDNA clearance", extra.clearance)
        if extra.landmark is not None:
            pages += _table_pages("Exploratory: landmark PFS by ctDNA", extra.landmark)
        if extra.cox is not None:
            pages += _table_pages("Exploratory: Cox model, ctDNA time-dependent", extra.cox)
        if extra.figure is not None:
            pages.append(extra.figure)
        if not extra.genes.empty:
            pages += _table_pages("Exploratory: genes changed between biopsies", extra.genes)
    pages += _table_pages("Design assumptions", report.design_table())
    pages += _table_pages("Software and protocol versions", report.versions_table())
    with (
        styled(),
        PdfPages(
            out,
            metadata={
                "Title": f"{report.inputs.protocol_id} {kind}",
                "Creator": f"oligotrial {__version__}",
            },
        ) as pdf,
    ):
        for page in pages:
            pdf.savefig(page)
    return out
