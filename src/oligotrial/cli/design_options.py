"""Options and helpers shared by the design and simulation commands."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.table import Table

from oligotrial.cli._common import stdout
from oligotrial.errors import InputError

JSON = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ALPHA = Annotated[float, typer.Option("--alpha", help="Total type I error.")]
SIDES = Annotated[int, typer.Option("--sides", help="1 or 2.")]
POWER = Annotated[float, typer.Option("--power", help="Target power.")]
SPENDING = Annotated[
    str, typer.Option("--spending", help="obrien-fleming | pocock | hwang-shih-decani.")
]


P = ParamSpec("P")
R = TypeVar("R")
_OPTION = {"dropout_rate": "dropout-per-year"}


def option_names(func: Callable[P, R]) -> Callable[P, R]:
    """Report errors with the command-line option name (``--hazard-ratio``)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            if not exc.field or "." in exc.field:
                raise
            name = _OPTION.get(exc.field, exc.field.replace("_", "-"))
            raise InputError(f"--{name}", exc.problem) from None

    return wrapper


def floats(text: str, name: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(name, f"must be comma-separated numbers, got {text!r}") from None
    if not values:
        raise InputError(name, "needs at least one value")
    return values


def ints(text: str, name: str) -> list[int]:
    values = floats(text, name)
    if any(v != int(v) for v in values):
        raise InputError(name, f"must be whole numbers, got {text!r}")
    return [int(v) for v in values]


def accrual_of(text: str, intensity: str | None) -> Any:
    from oligotrial.design.survival_model import Accrual

    ends = floats(text, "accrual")
    if intensity is None:
        if len(ends) != 1:
            raise InputError("accrual-intensity", "give one intensity per accrual period")
        return Accrual.uniform(ends[0])
    return Accrual.piecewise(ends, floats(intensity, "accrual_intensity"))


def print_table(title: str, rows: list[tuple[str, Any]]) -> None:
    table = Table(title=title, show_header=False)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(name, fmt(value))
    stdout.print(table)


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, tuple | list):
        return ", ".join(fmt(v) for v in value)
    return str(value)
