"""CONSORT 2010 flow diagram: screened, ineligible by reason, randomized, allocated,
treated, discontinued (with reasons), lost to follow-up, analysed."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from oligotrial.reports.analysis import Consort
from oligotrial.reports.figures._style import arm_colours

_LINE = 0.022


def _box(
    ax: Axes,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    edge: str = "#4a5560",
    size: float = 8.0,
    align: str = "center",
) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.004", fc="white", ec=edge, lw=1.0
        )
    )
    tx = x if align == "center" else x - w / 2 + 0.012
    ax.text(tx, y, text, ha=align, va="center", fontsize=size, linespacing=1.35)


def _arrow(ax: Axes, x0: float, y0: float, x1: float, y1: float) -> None:
    ax.annotate(
        "", (x1, y1), (x0, y0), arrowprops={"arrowstyle": "-|>", "lw": 0.9, "color": "#4a5560"}
    )


def consort_figure(c: Consort, arm_names: Mapping[str, str]) -> Figure:
    fig = Figure(figsize=(7.4, 6.6), dpi=110)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    _box(ax, 0.30, 0.94, 0.34, 0.06, f"Assessed for eligibility\n(n = {c.screened})")
    reasons = sorted(c.ineligible_by_reason.items(), key=lambda kv: -kv[1])
    lines = [f"Excluded (n = {c.ineligible})"] + [f"  • {r}: {n}" for r, n in reasons]
    _box(ax, 0.76, 0.82, 0.44, _LINE * len(lines) + 0.02, "\n".join(lines), size=7.3, align="left")
    _arrow(ax, 0.30, 0.91, 0.30, 0.73)
    ax.plot([0.30, 0.54], [0.82, 0.82], color="#4a5560", lw=0.9)
    _box(ax, 0.30, 0.70, 0.30, 0.05, f"Randomized (n = {c.randomized})")
    arms = list(arm_names)
    k = len(arms)
    xs = [(i + 0.5) / k for i in range(k)]  # two arms: 0.25, 0.75
    w = 0.42 if k <= 2 else 0.92 / k - 0.02
    text_size = 7.3 if k <= 2 else 6.0
    for x, arm in zip(xs, arms, strict=True):
        _arrow(ax, 0.30, 0.675, x, 0.60)
        colour = arm_colours(arm_names).get(arm, "#4a5560")
        _box(
            ax,
            x,
            0.555,
            w,
            0.08,
            f"Allocated to {arm_names[arm]} (n = {c.allocated[arm]})\n"
            f"Received allocated treatment (n = {c.treated[arm]})",
            edge=colour,
            size=8 if k <= 2 else text_size,
        )
        reasons_arm = [(r, n) for r, n in c.discontinued[arm].items() if r != "ongoing at cut-off"]
        lines = [f"Treatment ended (n = {sum(n for _, n in reasons_arm)})"]
        lines += [f"  • {r}: {n}" for r, n in sorted(reasons_arm, key=lambda kv: -kv[1])]
        lines += [
            f"Ongoing at data cut-off: {c.discontinued[arm].get('ongoing at cut-off', 0)}",
            f"Lost to follow-up / withdrew from study: {c.lost[arm]}",
        ]
        h = _LINE * len(lines) + 0.02
        _arrow(ax, x, 0.515, x, 0.33 + h / 2)
        _box(ax, x, 0.33, w, h, "\n".join(lines), edge=colour, size=text_size, align="left")
        _arrow(ax, x, 0.33 - h / 2, x, 0.155)
        _box(
            ax,
            x,
            0.12,
            w,
            0.07,
            f"Analysed (intention to treat) (n = {c.analysed[arm]})\n"
            f"Excluded from analysis (n = {c.allocated[arm] - c.analysed[arm]})",
            edge=colour,
            size=8 if k <= 2 else text_size,
        )
    for label, y in (
        ("Enrollment", 0.94),
        ("Allocation", 0.555),
        ("Follow-up", 0.33),
        ("Analysis", 0.12),
    ):
        ax.text(
            0.005,
            y,
            label,
            rotation=90,
            va="center",
            ha="left",
            fontsize=8,
            color="#6b7785",
            fontweight="bold",
        )
    return fig
