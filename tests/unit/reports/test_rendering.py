"""Figures render, the HTML is self-contained and has every section, the PDF is written."""

from __future__ import annotations

import re

import pytest

from oligotrial.errors import InputError
from oligotrial.reports import SECTIONS, ReportInputs, build_report, render_html, write_pdf
from oligotrial.reports.figures._style import to_png


def test_every_figure_renders_to_png(report) -> None:
    assert set(report.figures) == {
        "consort",
        "pfs",
        "os",
        "forest",
        "dor",
        "waterfall",
        "swimmer",
        "spider",
    }
    for name, fig in report.figures.items():
        png = to_png(fig, dpi=40)
        assert png[:8] == b"\x89PNG\r\n\x1a\n", name
        assert len(png) > 3000, name


def test_html_has_every_section_and_embeds_everything(report) -> None:
    html = render_html(report)
    for sid, title in (*SECTIONS, ("dsmb", "Interim monitoring (DSMB)")):
        assert f'<section id="{sid}">' in html
        assert title in html
    sources = re.findall(r'src="([^"]+)"', html)
    assert len(sources) == len(report.figures)
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<link" not in html and "<script" not in html
    assert "Synthetic data" in html


def test_dsmb_section_only_in_dsmb_variant(inputs) -> None:
    plain = build_report(inputs, dsmb=False)
    html = render_html(plain)
    assert '<section id="dsmb">' not in html
    assert plain.interim is None


def test_pdf_is_written(report, tmp_path) -> None:
    out = write_pdf(report, tmp_path / "r" / "report.pdf")
    data = out.read_bytes()
    assert data[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 15


def test_table1_counts_add_up(inputs, report) -> None:
    t = report.table1
    sex = t[(t.iloc[:, 1].isin(["Female", "Male"]))]
    total_col = t.columns[-1]
    assert sum(int(v.split()[0]) for v in sex[total_col]) == len(inputs.adsl)


def test_missing_column_is_a_clear_error(inputs) -> None:
    with pytest.raises(InputError, match=r"adtte\.CNSR: required column is missing"):
        ReportInputs(inputs.adsl, inputs.adtte.drop(columns="CNSR"), inputs.adrs, inputs.adae)


def test_negative_time_and_unknown_arm_are_refused(inputs) -> None:
    bad = inputs.adtte.drop(columns=["AVALM", "MONTHS"])
    bad.loc[bad.index[0], "AVAL"] = -1.0
    with pytest.raises(InputError, match=r"adtte\.AVAL: negative or missing"):
        ReportInputs(inputs.adsl, bad, inputs.adrs, inputs.adae)
    with pytest.raises(InputError, match=r"adtte\.AVALU"):
        ReportInputs(inputs.adsl, bad.drop(columns="AVALU"), inputs.adrs, inputs.adae)
    adsl = inputs.adsl.copy()
    adsl.loc[adsl.index[0], "ARMCD"] = "C"
    with pytest.raises(InputError, match=r"adsl\.ARMCD"):
        ReportInputs(adsl, inputs.adtte, inputs.adrs, inputs.adae)


def test_report_from_endpoint_frames_only(inputs) -> None:
    """The bare frames the endpoint package writes are enough (no logs, no AEs)."""
    adsl = inputs.adsl[
        ["USUBJID", "ARMCD", "RANDDT", "STRAT_OLIGOPROGRESSION_SITE", "STRAT_FLST_ICI"]
    ]
    adrs = inputs.adrs.assign(PCHG=None)
    r = build_report(ReportInputs(adsl, inputs.adtte, adrs, inputs.adae.iloc[0:0]))
    html = render_html(r)
    assert "No post-baseline measurements." in html
    assert "Treatment dates not supplied." in html
    assert "No visit log supplied." in html
    assert "0 (0.0%)" in html


def test_design_and_versions_come_from_the_protocol(report) -> None:
    from oligotrial.protocol import load_protocol

    p = load_protocol()
    html = render_html(report)
    assert f"{p.design.planned_subjects} / {p.design.planned_events}" in html
    assert f"{p.id} version {p.version}" in html
    assert "Lan-DeMets, O'Brien-Fleming type" in html


def test_building_a_report_leaves_matplotlib_settings_alone(inputs) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    r = build_report(inputs)
    to_png(r.figures["pfs"], dpi=30)
    assert dict(matplotlib.rcParams) == before
