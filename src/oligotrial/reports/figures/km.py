"""Kaplan-Meier curves by arm with numbers at risk under the axis and medians with CIs."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from oligotrial.reports.figures._style import GRID, arm_colours, month_ticks, new_figure
from oligotrial.reports.statistics import KM_CONF_TYPE, ArmCurve, HazardRatio, LogRank


def p_value(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _fmt(x: float | None, missing: str = "NR") -> str:
    """A median not reached is "NR", a CI limit not estimable "NE"."""
    return missing if x is None else f"{x:.1f}"


def km_figure(
    curves: Mapping[str, ArmCurve],
    arm_names: Mapping[str, str],
    title: str,
    ylabel: str,
    hr: HazardRatio | None = None,
    logrank: LogRank | None = None,
    max_month: float | None = None,
    xlabel: str = "Months since randomization",
) -> Figure:
    fig = new_figure(7.2, 4.8)
    grid = fig.add_gridspec(2, 1, height_ratios=[4.2, 1.0])
    ax = fig.add_subplot(grid[0])
    risk = fig.add_subplot(grid[1], sharex=ax)
    top = max_month or max(float(c.time.max()) for c in curves.values())
    ticks = month_ticks(top)
    for i, (arm, c) in enumerate(curves.items()):
        colour = arm_colours(arm_names).get(arm, f"C{i}")
        x = np.concatenate(([0.0], c.time))
        y = np.concatenate(([1.0], c.survival))
        ax.step(
            x,
            y,
            where="post",
            color=colour,
            lw=1.8,
            label=f"{arm_names.get(arm, arm)}: median {_fmt(c.median)} mo "
            f"(95% CI {_fmt(c.median_lower, 'NE')}–{_fmt(c.median_upper, 'NE')}, "
            f"{KM_CONF_TYPE})",
        )
        lo = np.concatenate(([1.0], c.lower))
        hi = np.concatenate(([1.0], c.upper))
        ax.fill_between(x, lo, hi, step="post", color=colour, alpha=0.10, lw=0)
        cens = c.censor_time
        ax.plot(cens, c.survival_at(cens), "|", color=colour, ms=7, mew=1.2)
        counts = c.at_risk(ticks)
        for t, n in zip(ticks, counts, strict=True):
            risk.text(
                t, len(curves) - 1 - i, str(n), ha="center", va="center", color=colour, fontsize=8.5
            )
    ax.axhline(0.5, color=GRID, lw=0.8, zorder=0)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, ticks[-1])
    ax.set_xticks(ticks)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_yticklabels([f"{int(v * 100)}%" for v in np.linspace(0, 1, 6)])
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax.legend(loc="upper right", fontsize=8.5, handlelength=1.6)
    lines = []
    if hr is not None:
        lines.append(f"stratified Cox HR {hr.hr:.2f} (95% CI {hr.lower:.2f}–{hr.upper:.2f})")
    if logrank is not None:
        lines.append(f"stratified log-rank {p_value(logrank.p_value)}")
    if lines:
        ax.text(
            0.98, 0.62, "\n".join(lines), transform=ax.transAxes, ha="right", va="top", fontsize=8.5
        )
    ax.tick_params(labelbottom=True)
    ax.set_xlabel(xlabel)
    risk.set_ylim(-0.6, len(curves) - 0.4)
    risk.set_yticks(range(len(curves)))
    risk.set_yticklabels([arm_names.get(a, a) for a in reversed(list(curves))], fontsize=8.5)
    risk.tick_params(axis="x", labelbottom=False, length=0)
    risk.tick_params(axis="y", length=0, pad=16)
    for side in ("top", "right", "bottom", "left"):
        risk.spines[side].set_visible(False)
    risk.set_title("Number at risk", loc="left", fontsize=8.5, fontweight="normal")
    return fig
