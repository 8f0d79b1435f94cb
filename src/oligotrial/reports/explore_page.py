"""The design-exploration page: power curves and expected duration over the hazard ratio,
one line per design (the combination of the other axes that vary), with the numbers in
tables beside the plots and every cell's per-look stopping probabilities below. One
self-contained HTML file (figures as inline PNG, styles inline), as the report's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure

from oligotrial import __version__
from oligotrial.design.explore import CellResult, Exploration
from oligotrial.reports.figures._style import GRID, new_figure, styled, to_data_uri

# Short names of the axes in line labels, and the axes' names in tables.
_SHORT = {
    "control_median": "median {}",
    "accrual_duration": "accrual {} mo",
    "accrual_rate": "{}/mo",
    "dropout": "dropout {}",
    "information": "looks {}",
    "spending": "{}",
    "futility": "futility {}",
    "subjects": "N {}",
    "events": "D {}",
}
AXIS_NAMES = {
    "hazard_ratio": "Hazard ratio",
    "control_median": "Control median (months)",
    "accrual_duration": "Accrual (months)",
    "accrual_rate": "Accrual rate (subjects/month)",
    "dropout": "Dropout",
    "information": "Looks (information)",
    "spending": "Spending",
    "futility": "Futility (beta spending)",
    "subjects": "Subjects",
    "events": "Events",
}
_COLOURS = (
    "#1f5fa8",
    "#d9711c",
    "#2e8b57",
    "#8e44ad",
    "#c0392b",
    "#7f8c8d",
    "#b7950b",
    "#16a085",
    "#d35400",
    "#2c3e50",
)
_STYLES = ("-", "--", ":", "-.")


def _text(value: Any) -> str:
    if isinstance(value, tuple):
        return "/".join(f"{v:g}" for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def design_label(c: CellResult, axes: Sequence[str]) -> str:
    """The values of ``axes`` (the varying ones other than the hazard ratio) for a line."""
    parts = [_SHORT[a].format(_text(c.cell.value(a))) for a in axes]
    return ", ".join(parts) or "design"


def _groups(ex: Exploration) -> tuple[list[str], dict[str, list[CellResult]], list[float]]:
    axes = [a for a in ex.spec.varying if a != "hazard_ratio"]
    groups: dict[str, list[CellResult]] = {}
    for c in ex.cells:
        groups.setdefault(design_label(c, axes), []).append(c)
    for cells in groups.values():
        cells.sort(key=lambda c: c.cell.hazard_ratio)
    hrs = sorted({c.cell.hazard_ratio for c in ex.cells})
    return list(groups), groups, hrs


def _curves(
    groups: dict[str, list[CellResult]],
    value: Callable[[CellResult], tuple[float, float]],
    ylabel: str,
    title: str,
    reference: float | None = None,
) -> Figure:
    n = len(groups)
    legend_rows = (n + 1) // 2 if n > 1 else 0
    fig = new_figure(6.4, 3.6 + 0.2 * legend_rows)
    ax = fig.add_subplot()
    for i, (label, cells) in enumerate(groups.items()):
        x = [c.cell.hazard_ratio for c in cells]
        est = [value(c) for c in cells]
        ax.errorbar(
            x,
            [e for e, _ in est],
            yerr=[2 * s for _, s in est],
            color=_COLOURS[i % len(_COLOURS)],
            linestyle=_STYLES[(i // len(_COLOURS)) % len(_STYLES)],
            marker="o",
            markersize=3.5,
            capsize=2,
            linewidth=1.4,
            label=label,
        )
    if reference is not None:
        ax.axhline(reference, color="#888888", linewidth=0.8, linestyle="--")
    ax.set_xlabel("Hazard ratio (experimental / control)")
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax.grid(True, color=GRID, linewidth=0.6)
    if n > 1:
        fig.legend(loc="outside lower center", ncols=2, fontsize=7.5)
    return fig


def _pivot(
    labels: list[str],
    groups: dict[str, list[CellResult]],
    hrs: list[float],
    value: Callable[[CellResult], str],
) -> dict[str, Any]:
    rows = []
    for label in labels:
        by_hr = {c.cell.hazard_ratio: value(c) for c in groups[label]}
        rows.append((label, [by_hr.get(h, "") for h in hrs]))
    return {"heads": [f"HR {h:g}" for h in hrs], "rows": rows}


def _cell_rows(ex: Exploration) -> list[list[str]]:
    out = []
    for c in ex.cells:
        r = c.result
        looks = []
        for k, ev in enumerate(c.cell.events_per_look):
            part = f"{k + 1} ({ev} ev): eff {r.reject_per_look[k]:.3f}"
            if c.design.futility is not None and k < len(c.cell.events_per_look) - 1:
                part += f", fut {r.futility_per_look[k]:.3f}"
            if ex.spec.sides == 2:
                part += f", harm {r.harm_per_look[k]:.3f}"
            looks.append(part)
        out.append(
            [
                str(c.cell.index + 1),
                *(_text(c.cell.value(a)) for a in ex.spec.varying),
                f"{r.power:.4f} ± {r.mc_se:.4f}",
                f"{r.expected_events:.1f} ± {r.expected_events_se:.1f}",
                f"{r.expected_duration:.2f} ± {r.expected_duration_se:.2f}",
                "; ".join(looks),
            ]
        )
    return out


def render_explore_html(ex: Exploration, generated: dt.datetime | None = None) -> str:
    """The page as one HTML string."""
    labels, groups, hrs = _groups(ex)
    with styled():
        power = _curves(
            groups,
            lambda c: (c.result.power, c.result.mc_se),
            "Power (probability of rejecting H0)",
            "Power over the hazard ratio (bars: ±2 Monte Carlo SE)",
            reference=ex.spec.alpha / ex.spec.sides,
        )
        duration = _curves(
            groups,
            lambda c: (c.result.expected_duration, c.result.expected_duration_se),
            "Expected duration (months)",
            "Expected trial duration over the hazard ratio",
        )
        figs = {"power": to_data_uri(power), "duration": to_data_uri(duration)}
    fixed = [
        (AXIS_NAMES[a], _text(ex.cells[0].cell.value(a)))
        for a in ex.spec.axes
        if a not in ex.spec.varying
    ]
    spec = ex.spec
    env = Environment(
        loader=PackageLoader("oligotrial.reports", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    when = generated or dt.datetime.now(dt.UTC)
    return env.get_template("explore.html").render(
        cells=len(ex.cells),
        trials=ex.trials,
        seed=ex.seed,
        settings=[
            ("Alpha", f"{spec.alpha:g} ({spec.sides}-sided)"),
            ("Design power (futility spending)", f"{spec.power:g}"),
            ("Dropout given at", f"{spec.dropout_time:g} months"),
            ("Entry, allocation", f"{spec.entry}, {spec.allocation}"),
            *fixed,
        ],
        fig=figs,
        power_table=_pivot(labels, groups, hrs, lambda c: f"{c.result.power:.3f}"),
        duration_table=_pivot(labels, groups, hrs, lambda c: f"{c.result.expected_duration:.1f}"),
        cell_heads=[
            "Cell",
            *(AXIS_NAMES[a] for a in spec.varying),
            "Power ± SE",
            "E events ± SE",
            "E duration ± SE",
            "Stopping per look",
        ],
        cell_rows=_cell_rows(ex),
        power_se=max(c.result.mc_se for c in ex.cells),
        duration_se=max(c.result.expected_duration_se for c in ex.cells),
        generated=when.strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
    )
