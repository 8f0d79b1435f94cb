"""What the figures show is also in HTML tables (numbers at risk, forest values); CIs name
their transform; "NR" is a median not reached, "NE" a confidence limit not estimable."""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest

from oligotrial.reports import formatting as fmt
from oligotrial.reports import render_html
from oligotrial.reports.figures._style import month_ticks


@pytest.fixture(scope="module")
def html(report) -> str:
    return render_html(report)


def _tables(html: str) -> list[pd.DataFrame]:
    """Every <table> with a header row, read as a screen reader or a scraper would."""
    out = []
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        rows = [
            [
                unescape(re.sub(r"<[^>]+>", "", c)).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)
            ]
            for tr in re.findall(r"<tr.*?</tr>", table, flags=re.S)
        ]
        if "<th" in table and len(rows) > 1:
            out.append(pd.DataFrame(rows[1:], columns=rows[0]))
    return out


def test_not_reached_and_not_estimable_are_told_apart() -> None:
    assert fmt.ci(None, None, None) == "NR (NE–NE)"
    assert fmt.ci(14.0, 7.5, None) == "14.0 (7.5–NE)"
    assert fmt.ci(14.0, float("nan"), 20.25) == "14.0 (NE–20.2)"


def test_numbers_at_risk_are_a_table_equal_to_the_figures(report, html) -> None:
    times = report.risk_times["pfs"]
    top = max(
        float(report.inputs.adtte[report.inputs.adtte.PARAMCD.isin(["PFS", "OS"])].MONTHS.max()),
        3.0,
    )
    assert times == month_ticks(top)
    assert "<h3>Number at risk (PFS)</h3>" in html
    table = next(t for t in _tables(html) if list(t.columns[:2]) == ["Arm", "0 mo"])
    names = report.inputs.arm_names
    for arm, curve in report.pfs.curves.items():
        row = table[table["Arm"] == names[arm]].iloc[0]
        assert [int(row[f"{t:g} mo"]) for t in times] == curve.at_risk(times)
        assert int(row["0 mo"]) == curve.n


def test_forest_values_are_a_table(report, html) -> None:
    assert "<h3>Values of the forest plot</h3>" in html
    table = next(t for t in _tables(html) if "HR (95% CI)" in t.columns)
    assert len(table) == len(report.forest)
    first = report.forest[0]
    row = table.iloc[0]
    assert row["Subgroup"] == "All patients"
    assert row["HR (95% CI)"] == fmt.ci(first.hr.hr, first.hr.lower, first.hr.upper, 2)
    exp = report.inputs.arm_names[report.inputs.experimental_arm]
    assert row[f"{exp}: events / n"] == f"{first.events['A']} / {first.n['A']}"


def test_km_intervals_name_their_transform(html) -> None:
    assert "Median, months (95% CI, log transform)" in html
    assert "6-month rate, % (95% CI, log transform)" in html
    assert "Median DOR, months (95% CI, log transform)" in html
    assert "Brookmeyer-Crowley 95% CI" not in html
