"""Shared look of the report's figures. Figures are built as :class:`~matplotlib.figure.Figure`
objects without pyplot, so no display and no global backend are involved."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure

ARM_PALETTE = ("#1f5fa8", "#d9711c", "#2e8b57", "#8e44ad")


def arm_colours(arm_names: Mapping[str, str]) -> dict[str, str]:
    """A colour per arm code, by the arms' order in the protocol."""
    return {a: ARM_PALETTE[i % len(ARM_PALETTE)] for i, a in enumerate(arm_names)}


EVENT_COLOURS = {
    "CR": "#1a7f37",
    "PR": "#52b356",
    "SD": "#9aa5b1",
    "PD": "#c0392b",
    "NE": "#d0d4d9",
    "death": "#222222",
}
GRID = "#e6e8eb"

STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "legend.frameon": False,
    "svg.fonttype": "none",
}


@contextmanager
def styled() -> Iterator[None]:
    """The report's look, applied while figures are drawn and saved (no global change)."""
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        yield


def new_figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def to_png(fig: Figure, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    with styled():
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def to_data_uri(fig: Figure, dpi: int = 110) -> str:
    return "data:image/png;base64," + base64.b64encode(to_png(fig, dpi)).decode("ascii")


def month_ticks(max_month: float, step: float = 3.0) -> list[float]:
    n = max(1, math.ceil(max_month / step - 1e-9))
    return [step * i for i in range(n + 1)]
