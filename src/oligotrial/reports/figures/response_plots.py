"""Tumour-response figures: waterfall (best % change), spider (% change over time),
swimmer (time on treatment with responses, progression and death)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from oligotrial.reports.figures._style import EVENT_COLOURS, GRID, arm_colours, new_figure

DAYS_PER_MONTH = 365.25 / 12
ONGOING = "ongoing at cut-off"


def best_change(adtr: pd.DataFrame, adsl: pd.DataFrame) -> pd.DataFrame:
    """Per patient with ≥ 1 post-baseline sum: the best (lowest) % change and the arm."""
    post = adtr[adtr["ADY"] > 1]
    best = post.groupby("USUBJID").PCHG.min().rename("BEST").reset_index()
    return best.merge(adsl[["USUBJID", "ARMCD"]], on="USUBJID")


def waterfall_figure(
    adtr: pd.DataFrame, adsl: pd.DataFrame, arm_names: Mapping[str, str]
) -> Figure:
    d = best_change(adtr, adsl).sort_values("BEST", ascending=False).reset_index(drop=True)
    fig = new_figure(7.2, 3.6)
    ax = fig.add_subplot(1, 1, 1)
    colours = [arm_colours(arm_names).get(a, "#777") for a in d.ARMCD]
    ax.bar(np.arange(len(d)), d.BEST.clip(upper=100), color=colours, width=0.85)
    ax.axhline(20, color=EVENT_COLOURS["PD"], lw=0.8, ls="--")
    ax.axhline(-30, color=EVENT_COLOURS["CR"], lw=0.8, ls="--")
    ax.axhline(0, color="#555", lw=0.6)
    ax.text(
        len(d) - 0.5,
        21,
        "+20% (PD)",
        ha="right",
        va="bottom",
        fontsize=8,
        color=EVENT_COLOURS["PD"],
    )
    ax.text(-0.5, -31, "−30% (PR)", ha="left", va="top", fontsize=8, color=EVENT_COLOURS["CR"])
    ax.set_xticks([])
    ax.set_xlim(-1, len(d))
    ax.set_ylim(-105, max(45.0, float(d.BEST.clip(upper=100).max()) + 8))
    ax.set_ylabel("Best change in target sum from baseline (%)")
    ax.set_title("Best percentage change in the sum of target lesions", loc="left")
    colour = arm_colours(arm_names)
    ax.legend(
        handles=[Patch(color=colour[a], label=n) for a, n in arm_names.items()], loc="lower left"
    )
    return fig


def spider_figure(adtr: pd.DataFrame, adsl: pd.DataFrame, arm_names: Mapping[str, str]) -> Figure:
    fig = new_figure(7.2, 3.4)
    axes = fig.subplots(1, len(arm_names), sharey=True, sharex=True)
    d = adtr.merge(adsl[["USUBJID", "ARMCD"]], on="USUBJID", suffixes=("_tr", ""))
    for ax, (arm, name) in zip(np.atleast_1d(axes), arm_names.items(), strict=True):
        for _, g in d[d["ARMCD"] == arm].groupby("USUBJID"):
            g = g.sort_values("ADY")
            x = np.concatenate(([0.0], (g.ADY.to_numpy(float) - 1) / DAYS_PER_MONTH))
            y = np.concatenate(([0.0], g.PCHG.to_numpy(float)))
            ax.plot(x, y, color=arm_colours(arm_names).get(arm, "#777"), lw=0.8, alpha=0.55)
            if "NEWLES" in g and (g.NEWLES == "Y").any():
                ax.plot(x[-1], y[-1], "o", ms=3, color=EVENT_COLOURS["PD"])
        ax.axhline(20, color=EVENT_COLOURS["PD"], lw=0.8, ls="--")
        ax.axhline(-30, color=EVENT_COLOURS["CR"], lw=0.8, ls="--")
        ax.axhline(0, color=GRID, lw=0.8)
        ax.set_title(name, loc="left", fontsize=9)
        ax.set_xlabel("Months since randomization")
    np.atleast_1d(axes)[0].set_ylabel("Change in target sum (%)")
    np.atleast_1d(axes)[0].set_ylim(-105, 110)
    fig.suptitle(
        "Target-lesion sum over time (dot: new lesion)",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=10,
    )
    return fig


def swimmer_figure(
    adsl: pd.DataFrame, adrs: pd.DataFrame, adtte: pd.DataFrame, arm_names: Mapping[str, str]
) -> Figure:
    """One lane per patient: treatment duration, first CR/PR, progression, death."""
    n_max = max(int((adsl["ARMCD"] == a).sum()) for a in arm_names)
    fig = new_figure(7.2, 1.2 + 0.075 * n_max)
    axes = np.atleast_1d(fig.subplots(1, len(arm_names), sharex=True))
    start = pd.to_datetime(adsl.set_index("USUBJID").RANDDT)
    dur = (pd.to_datetime(adsl.set_index("USUBJID").TRTEDT) - start).dt.days / DAYS_PER_MONTH
    ovr = adrs[adrs.PARAMCD == "OVR"]
    resp = (ovr[ovr.AVALC.isin(["CR", "PR"])].groupby("USUBJID").ADY.min() - 1) / DAYS_PER_MONTH
    prog = (ovr[ovr["AVALC"] == "PD"].groupby("USUBJID").ADY.min() - 1) / DAYS_PER_MONTH
    os_ = adtte[(adtte["PARAMCD"] == "OS") & (adtte["CNSR"] == 0)].set_index("USUBJID").MONTHS
    reason = adsl.set_index("USUBJID").get("DCTREAS", pd.Series(dtype=str))
    ongoing = reason.eq(ONGOING)
    for ax, (arm, name) in zip(axes, arm_names.items(), strict=True):
        ids = dur[arm == adsl.set_index("USUBJID").ARMCD].sort_values().index
        y = np.arange(len(ids))
        ax.barh(y, dur[ids], color=arm_colours(arm_names).get(arm, "#777"), alpha=0.75, height=0.75)
        for yi, u in zip(y, ids, strict=True):
            if u in resp.index:
                ax.plot(resp[u], yi, "^", ms=3.5, color=EVENT_COLOURS["CR"])
            if u in prog.index:
                ax.plot(prog[u], yi, "D", ms=3, color=EVENT_COLOURS["PD"])
            if u in os_.index:
                ax.plot(os_[u], yi, "x", ms=3.5, color=EVENT_COLOURS["death"])
            if ongoing.get(u, False):
                ax.annotate(
                    "", (dur[u] + 1.2, yi), (dur[u], yi), arrowprops={"arrowstyle": "->", "lw": 0.8}
                )
        ax.set_yticks([])
        ax.set_ylim(-1, n_max)
        ax.set_title(f"{name} (n={len(ids)})", loc="left", fontsize=9)
        ax.set_xlabel("Months since randomization")
        ax.spines["left"].set_visible(False)
    fig.legend(
        handles=[
            Line2D([], [], marker="^", ls="", color=EVENT_COLOURS["CR"], label="first CR/PR"),
            Line2D([], [], marker="D", ls="", color=EVENT_COLOURS["PD"], label="progression"),
            Line2D([], [], marker="x", ls="", color=EVENT_COLOURS["death"], label="death"),
            Line2D([], [], marker=r"$\rightarrow$", ls="", color="#222", label="on treatment"),
        ],
        loc="outside lower center",
        ncols=4,
        fontsize=8,
    )
    fig.suptitle(
        "Time on treatment, response, progression and death",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=10,
    )
    return fig
