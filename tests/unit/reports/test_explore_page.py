"""The design-exploration page: plots as inline PNG, the numbers beside them, every cell."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from oligotrial.design.explore import explore
from oligotrial.design.grid_spec import grid_from_mapping
from oligotrial.reports.explore_page import design_label, render_explore_html

BASE: dict[str, Any] = {
    "hazard_ratio": [0.6, 1.0],
    "control_median": 6,
    "accrual_duration": 18,
    "subjects": 120,
    "events": 90,
    "information": [[1], [0.5, 1]],
    "spending": ["obrien-fleming", "pocock"],
    "futility": ["none", "obrien-fleming"],
}


def page(**changes: Any) -> tuple[Any, str]:
    ex = explore(grid_from_mapping({**BASE, **changes}, "grid"), 300, 4)
    return ex, render_explore_html(ex, generated=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))


def test_page_holds_both_plots_and_every_number() -> None:
    ex, html = page()
    assert html.count('src="data:image/png;base64,') == 2
    assert "generated 2026-01-02 00:00 UTC" in html and "Seed 4" in html
    axes = [a for a in ex.spec.varying if a != "hazard_ratio"]
    for c in ex.cells:
        label = design_label(c, axes)
        assert label in html
        assert f"{c.result.power:.4f} ± {c.result.mc_se:.4f}" in html  # every-cell table
        assert f"{c.result.expected_duration:.2f} ± {c.result.expected_duration_se:.2f}" in html
    assert "looks 0.5/1, pocock, futility obrien-fleming" in html
    rows = re.findall(r"<tr><td>(looks [^<]*)</td>", html)
    assert len(rows) == 2 * 6  # the power and the duration table, six designs each


def test_a_single_cell_page_needs_no_legend() -> None:
    ex, html = page(hazard_ratio=0.7, information=[[1]], spending="pocock", futility="none")
    assert len(ex.cells) == 1
    assert "<td>design</td>" in html and "HR 0.7" in html
    assert "Hazard ratio" in html
