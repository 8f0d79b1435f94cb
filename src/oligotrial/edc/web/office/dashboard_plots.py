"""The dashboard's figures (matplotlib, SVG as a data: image, so the page's style policy
holds): cumulative accrual against the linear plan, and scan timing against the schedule."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import io
from collections.abc import Callable

import numpy as np

from oligotrial.edc.services.dashboard import DAYS_PER_MONTH, Dashboard


def _cjk(draw: Callable[[Dashboard, dict[str, str]], str | None]) -> Callable[..., str | None]:
    """Draw (and write) the figure with fonts that hold the Chinese labels."""

    @functools.wraps(draw)
    def wrapper(d: Dashboard, labels: dict[str, str]) -> str | None:
        import matplotlib

        # Latin first, then Chinese (the pages are in English and Simplified Chinese)
        fonts = ["DejaVu Sans", "Noto Sans CJK SC"]
        with matplotlib.rc_context({"font.family": fonts}):
            return draw(d, labels)

    return wrapper


def _svg(fig: object) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})  # type: ignore[attr-defined]
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _days(dates: list[dt.date]) -> np.ndarray:
    """Matplotlib's date numbers (days since 1970-01-01, its default epoch)."""
    return np.array(dates, dtype="datetime64[D]").astype(float)


@_cjk
def accrual_plot(d: Dashboard, labels: dict[str, str]) -> str | None:
    if not d.randomized_on:
        return None
    from matplotlib.figure import Figure

    start = d.randomized_on[0]
    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.subplots()
    days = _days(d.randomized_on)
    ax.step(days, range(1, len(days) + 1), where="post", label=labels["actual"])
    end = start + dt.timedelta(days=round(d.accrual_months * DAYS_PER_MONTH))
    ax.plot(_days([start, end]), [0, d.planned_subjects], linestyle="--", label=labels["plan"])
    ax.axvline(float(_days([d.today])[0]), color="0.6", linewidth=0.8)
    ax.xaxis_date()
    ax.set_ylabel(labels["patients"])
    ax.legend(loc="upper left", frameon=False)
    fig.autofmt_xdate()
    return _svg(fig)


@_cjk
def timing_plot(d: Dashboard, labels: dict[str, str]) -> str | None:
    if not d.scan_delay:
        return None
    from matplotlib.figure import Figure

    groups = list(d.scan_delay)
    fig = Figure(figsize=(6.4, 0.7 + 0.6 * len(groups)))
    ax = fig.subplots()
    ax.boxplot([d.scan_delay[g] for g in groups], orientation="horizontal", widths=0.5)
    ax.set_yticks(range(1, len(groups) + 1), [labels.get(g, g) for g in groups])
    ax.axvline(0, color="0.6", linewidth=0.8)
    ax.set_xlabel(labels["delay"])
    return _svg(fig)
