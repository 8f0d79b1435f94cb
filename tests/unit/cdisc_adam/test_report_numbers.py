"""The report's numbers read from the conformant ADaM equal today's report numbers."""

from __future__ import annotations

import re
from datetime import datetime

from oligotrial.interop.cdisc.adam import StudyContext, report_frames
from oligotrial.protocol import load_protocol
from oligotrial.reports import build_report
from oligotrial.reports.html import render_html
from oligotrial.reports.inputs import ReportInputs
from oligotrial.reports.report import Report

AT = datetime(2026, 12, 1, 9, 0)


def _numbers_of(report: Report) -> str:
    """The report as text without its pictures (every number and word it prints)."""
    html = render_html(report)
    html = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "IMG", html)
    return re.sub(r"<svg.*?</svg>", "SVG", html, flags=re.S)


def test_report_from_adam_equals_today(built):
    f = built.frames
    protocol = load_protocol()
    old = ReportInputs(
        f.adsl, f.adtte, f.adrs, f.adae, adtr=f.adtr, screening=f.screening,
        visits=f.visits, ctdna=f.ctdna, protocol=protocol, data_cutoff=built.trial.cutoff,
    )  # fmt: skip
    view = report_frames({n: d.frame for n, d in built.adam.items()}, StudyContext.of(protocol))
    new = ReportInputs(
        view.adsl, view.adtte, view.adrs, view.adae, adtr=f.adtr, screening=f.screening,
        visits=f.visits, ctdna=f.ctdna, protocol=protocol, data_cutoff=built.trial.cutoff,
    )  # fmt: skip
    old_report = build_report(old, dsmb=True, generated_at=AT)
    new_report = build_report(new, dsmb=True, generated_at=AT)
    assert new_report.pfs.hr_stratified == old_report.pfs.hr_stratified
    assert new_report.os.logrank == old_report.os.logrank
    assert new_report.consort == old_report.consort
    assert new_report.table1.equals(old_report.table1)
    assert _numbers_of(new_report) == _numbers_of(old_report)


def test_report_frames_carry_the_columns_the_report_reads(built):
    view = report_frames(
        {n: d.frame for n, d in built.adam.items()}, StudyContext.of(load_protocol())
    )
    assert {"ARMCD", "STRAT_OLIGOPROGRESSION_SITE", "STRAT_FLST_ICI", "SAFFL"} <= set(view.adsl)
    assert {"AVALU", "AVALM", "CNSR"} <= set(view.adtte)
    assert (view.adtte["AVALM"] == (view.adtte["AVAL"] / 30.4375).round(4)).all()
    old = built.frames.adrs
    ovr = view.adrs[view.adrs["PARAMCD"] == "OVR"]
    assert ovr["PCHG"].astype(float).round(9).fillna(-999).tolist() == (
        old[old["PARAMCD"] == "OVR"]["PCHG"].astype(float).round(9).fillna(-999).tolist()
    )
