"""Forest plot of the hazard ratio (experimental vs control) by subgroup, log scale, with
the counts. ``arm_names`` holds the experimental arm first, then the control arm."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from oligotrial.reports.analysis import ForestRow
from oligotrial.reports.figures._style import ARM_PALETTE, GRID, new_figure


def forest_figure(
    rows: Sequence[ForestRow],
    arm_names: Mapping[str, str],
    title: str = "PFS hazard ratio by subgroup",
    level_label: Callable[[str], str] = str,
) -> Figure:
    n = len(rows)
    fig = new_figure(7.4, 1.1 + 0.26 * n)
    grid = fig.add_gridspec(1, 3, width_ratios=[3.6, 2.5, 1.4], wspace=0.0)
    left = fig.add_subplot(grid[0])
    ax = fig.add_subplot(grid[1], sharey=left)
    right = fig.add_subplot(grid[2], sharey=left)
    y = np.arange(n)[::-1].astype(float)
    arms = list(arm_names)
    finite = [r.hr for r in rows if r.hr is not None]
    lo = max(min([0.1, *[h.lower for h in finite]]) * 0.9, 0.01)
    hi = max([3.0, *[min(h.upper, 20.0) for h in finite]]) * 1.1
    previous = None
    for yi, r in zip(y, rows, strict=True):
        if r.label != previous:
            left.text(0.0, yi, r.label, va="center", fontweight="bold" if not r.level else None)
        previous = r.label
        left.text(0.36, yi, level_label(r.level), va="center")
        for k, a in enumerate(arms):
            left.text(0.83 + 0.17 * k, yi, f"{r.events[a]}/{r.n[a]}", ha="right", va="center")
        h = r.hr
        if h is None:
            right.text(0.08, yi, "not estimable", va="center", color="#777")
            continue
        colour = "#1b1f23" if r.level == "" else ARM_PALETTE[0]
        ax.plot([max(h.lower, lo), min(h.upper, hi)], [yi, yi], color=colour, lw=1.3)
        share = sum(r.n.values()) / max(1, sum(rows[0].n.values()))
        ax.plot(h.hr, yi, "D" if r.level == "" else "s", color=colour, ms=3.5 + 5 * share)
        right.text(0.08, yi, f"{h.hr:.2f} ({h.lower:.2f}–{h.upper:.2f})", va="center")
    top = n - 0.2
    left.text(0.0, top, "Subgroup", fontweight="bold", va="bottom")
    for k, a in enumerate(arms):
        left.text(0.83 + 0.17 * k, top, a, fontweight="bold", ha="right", va="bottom")
    left.text(0.915, top + 0.9, "events / n", ha="center", va="bottom", fontsize=8)
    right.text(0.08, top, "HR (95% CI)", fontweight="bold", va="bottom")
    for side in (left, right):
        side.set_xlim(0, 1)
        side.axis("off")
    ax.axvline(1.0, color="#555", lw=0.8)
    if rows and rows[0].hr is not None:
        ax.axvline(rows[0].hr.hr, color=GRID, lw=1.2, ls="--", zorder=0)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10) if lo <= t <= hi]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_ylim(-0.8, n + 1.2)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(
        f"← favours {arm_names[arms[0]]}   |   favours {arm_names[arms[1]]} →", fontsize=8
    )
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
    return fig
