"""Spaghetti plot: maximum ctDNA VAF over time, one line per patient, a panel per arm,
coloured by outcome (progressed or died vs not); undetected draws on the floor line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from matplotlib.figure import Figure

from oligotrial.exploratory import CtdnaObservation, PfsTime
from oligotrial.reports.figures._style import EVENT_COLOURS, GRID

FLOOR = 0.05  # % : where an undetected draw is drawn (log axis)
DAYS_PER_MONTH = 365.25 / 12


def spaghetti_figure(
    obs: Iterable[CtdnaObservation], pfs: Iterable[PfsTime], arm_names: Mapping[str, str]
) -> Figure:
    progressed = {p.subject: p.event for p in pfs}
    lines: dict[str, list[CtdnaObservation]] = {}
    for o in obs:
        lines.setdefault(o.subject, []).append(o)
    fig = Figure(figsize=(8.0, 3.4))
    axes = fig.subplots(1, len(arm_names), sharey=True, squeeze=False)[0]
    colours = {True: EVENT_COLOURS["PD"], False: "#1f5fa8"}
    for ax, (arm, name) in zip(axes, arm_names.items(), strict=True):
        for draws in lines.values():
            if draws[0].arm != arm:
                continue
            draws = sorted(draws, key=lambda o: o.day)
            x = [max(o.day, 0) / DAYS_PER_MONTH for o in draws]
            y = [max(o.max_vaf_percent or 0.0, FLOOR) if o.detected else FLOOR for o in draws]
            event = progressed.get(draws[0].subject, False)
            ax.plot(x, y, "-o", color=colours[event], alpha=0.45, lw=0.8, ms=2.5)
        ax.set_yscale("log")
        ax.axhline(FLOOR, color=GRID, lw=3, zorder=0)
        ax.set_title(f"Arm {arm}: {name}")
        ax.set_xlabel("Months since randomization")
    axes[0].set_ylabel("Maximum VAF (%)  [floor: not detected]")
    for event, label in ((True, "progressed or died"), (False, "no PFS event")):
        axes[-1].plot([], [], "-o", color=colours[event], label=label, ms=2.5)
    axes[-1].legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig
