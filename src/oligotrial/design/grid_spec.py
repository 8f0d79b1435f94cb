"""A design-exploration grid: the values each setting takes, strictly validated.

A grid names, for each axis, one value or a list of values; every combination is a cell
(``GridSpec.cells``). Axes: ``hazard_ratio``, ``control_median`` (months, exponential
arms), ``accrual_duration`` (months) or ``accrual_rate`` (subjects a month; duration =
subjects / rate), ``dropout`` (cumulative proportion at ``dropout_time`` months),
``information`` (the looks, as lists of information fractions ending at 1), ``spending``
(``obrien-fleming``, ``pocock`` or ``hwang-shih-decani``, the last with its parameter as
``hwang-shih-decani:-2``), ``futility`` (``none`` or a beta-spending function giving
non-binding futility bounds, one-sided designs only), ``subjects`` and ``events``
(maximum events; look k happens at ``ceil(events * t_k)`` events). Settings (one value):
``alpha``, ``sides``, ``power`` (design power: the beta spent by futility bounds),
``dropout_time``, ``entry``, ``allocation``. Unknown keys, wrong types (``true`` is not a
number, ``"24"`` is not a number, ``132.0`` is not a whole number) and impossible values
are refused with the path of the value and, from a file, its line.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from oligotrial.design.spending import SPENDINGS
from oligotrial.errors import InputError

AXES = (
    "hazard_ratio",
    "control_median",
    "accrual_duration",
    "accrual_rate",
    "dropout",
    "information",
    "spending",
    "futility",
    "subjects",
    "events",
)
SETTINGS: dict[str, Any] = {
    "alpha": 0.025,
    "sides": 1,
    "power": 0.9,
    "dropout_time": 12.0,
    "entry": "random",
    "allocation": "blocks",
}
MAX_CELLS = 10_000


@dataclass(frozen=True)
class Spending:
    """A Lan-DeMets spending function and its parameter (Hwang-Shih-DeCani gamma)."""

    name: str
    gamma: float = -4.0

    @property
    def label(self) -> str:
        if self.name == "hwang-shih-decani":
            return f"{self.name}:{self.gamma:g}"
        return self.name


@dataclass(frozen=True)
class Cell:
    """One combination of axis values."""

    index: int
    hazard_ratio: float
    control_median: float
    accrual_duration: float  # months (from the rate when the grid gives rates)
    accrual_rate: float | None  # subjects a month, when the grid gives rates
    dropout: float
    information: tuple[float, ...]
    spending: Spending
    futility: Spending | None
    subjects: int
    events: int

    @property
    def events_per_look(self) -> tuple[int, ...]:
        return tuple(math.ceil(self.events * t - 1e-9) for t in self.information)

    def value(self, axis: str) -> Any:
        """The cell's value on ``axis`` in the grid's own terms (labels for functions)."""
        v = getattr(self, axis)
        if isinstance(v, Spending):
            return v.label
        if axis == "futility" and v is None:
            return "none"
        return v


@dataclass(frozen=True)
class GridSpec:
    """Validated axes (tuples of values) and settings of a grid."""

    axes: Mapping[str, tuple[Any, ...]]
    alpha: float
    sides: int
    power: float
    dropout_time: float
    entry: str
    allocation: str

    @property
    def varying(self) -> tuple[str, ...]:
        """Axes with more than one value, in axis order."""
        return tuple(a for a in AXES if len(self.axes.get(a, ())) > 1)

    @property
    def size(self) -> int:
        return math.prod(len(v) for v in self.axes.values())

    def cells(self) -> list[Cell]:
        """Every combination, the last axis varying fastest; checks each cell's sizes.

        Single-look plans have no futility bound, so their combinations with a futility
        function are the cell with ``none`` and appear once.
        """
        names = [a for a in AXES if a in self.axes]
        cells: list[Cell] = []
        seen: set[tuple[Any, ...]] = set()
        for values in itertools.product(*(self.axes[a] for a in names)):
            v = dict(zip(names, values, strict=True))
            rate = v.get("accrual_rate")
            cell = Cell(
                index=len(cells),
                hazard_ratio=v["hazard_ratio"],
                control_median=v["control_median"],
                accrual_duration=v["subjects"] / rate if rate else v["accrual_duration"],
                accrual_rate=rate,
                dropout=v["dropout"],
                information=v["information"],
                spending=v["spending"],
                futility=v["futility"] if len(v["information"]) > 1 else None,
                subjects=v["subjects"],
                events=v["events"],
            )
            key = tuple(cell.value(a) for a in names)
            if key in seen:  # a futility function asked of single-look plans: one cell
                continue
            seen.add(key)
            _check_sizes(cell)
            cells.append(cell)
        return cells


def _check_sizes(cell: Cell) -> None:
    where = (
        f"(subjects {cell.subjects}, events {cell.events}, information {list(cell.information)})"
    )
    if cell.events > cell.subjects:
        raise InputError("events", f"{cell.events} events need as many subjects {where}")
    looks = cell.events_per_look
    if looks[0] < 1 or any(b <= a for a, b in itertools.pairwise(looks)):
        raise InputError(
            "information",
            f"looks at {list(looks)} events do not increase strictly {where}; "
            "use more events or fewer looks",
        )


Where = Callable[[tuple[Any, ...]], str]


def grid_from_mapping(
    data: Any,
    source: str,
    lines: Mapping[tuple[str, ...], int] | None = None,
    option_style: bool = False,
) -> GridSpec:
    """Validate grid data (parsed YAML, or the command line's values when ``option_style``,
    which names fields as ``--hazard-ratio``); raise ``InputError`` naming the path."""

    def name(path: tuple[Any, ...]) -> str:
        if option_style:
            head = "--" + str(path[0]).replace("_", "-")
            return head + "".join(f" value {p + 1}" for p in path[1:] if isinstance(p, int))
        head = str(path[0]) if path else "(top level)"
        return head + "".join(f"[{p}]" for p in path[1:])

    def fail(path: tuple[Any, ...], problem: str) -> InputError:
        line = None
        if lines:
            key = tuple(str(p) for p in path)
            while key and key not in lines:
                key = key[:-1]
            line = lines.get(key)
        suffix = f" ({source} line {line})" if line else ""
        return InputError(name(path), problem + suffix)

    if not isinstance(data, Mapping):
        raise InputError(source, "a grid is a mapping of settings to values")
    for key in data:
        if key not in AXES and key not in SETTINGS:
            known = ", ".join((*AXES, *SETTINGS))
            raise fail((key,), f"unknown key; the keys are {known}")
    settings = {k: data.get(k, default) for k, default in SETTINGS.items()}
    alpha = _number(fail, ("alpha",), settings["alpha"], lambda x: 0 < x < 1, "in (0, 1)")
    sides = settings["sides"]
    if not isinstance(sides, int) or isinstance(sides, bool) or sides not in (1, 2):
        raise fail(("sides",), f"must be 1 or 2, got {sides!r}")
    power = _number(
        fail, ("power",), settings["power"], lambda x: alpha / sides < x < 1, "in (alpha/sides, 1)"
    )
    drop_time = _number(fail, ("dropout_time",), settings["dropout_time"], _pos, "> 0")
    entry = _choice(fail, ("entry",), settings["entry"], ("random", "even"))
    alloc = _choice(
        fail, ("allocation",), settings["allocation"], ("blocks", "complete", "alternating")
    )
    for key in ("hazard_ratio", "control_median", "subjects", "events"):
        if key not in data:
            raise fail((key,), "required: give a value or a list of values")
    if ("accrual_duration" in data) == ("accrual_rate" in data):
        raise fail(("accrual_duration",), "give exactly one of accrual_duration or accrual_rate")
    axes: dict[str, tuple[Any, ...]] = {}

    def axis(key: str, default: Any, item: Callable[[tuple[Any, ...], Any], Any]) -> None:
        if key not in data and default is None:
            return
        raw = data.get(key, default)
        values = raw if isinstance(raw, list) else [raw]
        if not values:
            raise fail((key,), "needs at least one value")
        parsed = tuple(
            item((key, i) if isinstance(raw, list) else (key,), v) for i, v in enumerate(values)
        )
        for i, v in enumerate(parsed):
            if v in parsed[:i]:
                raise fail((key, i), f"{values[i]!r} is listed twice")
        axes[key] = parsed

    def num(check: Callable[[float], bool], what: str) -> Callable[[tuple[Any, ...], Any], float]:
        return lambda path, v: _number(fail, path, v, check, what)

    axis("hazard_ratio", None, num(_pos, "> 0"))
    axis("control_median", None, num(_pos, "> 0 months"))
    axis("accrual_duration", None, num(_pos, "> 0 months"))
    axis("accrual_rate", None, num(_pos, "> 0 subjects a month"))
    axis("dropout", 0.0, num(lambda x: 0 <= x < 1, "in [0, 1)"))
    axis("information", [[1.0]], lambda p, v: _fractions(fail, p, v))
    axis("spending", "obrien-fleming", lambda p, v: _spending(fail, p, v, none=False))
    axis("futility", "none", lambda p, v: _spending(fail, p, v, none=True))
    axis("subjects", None, lambda p, v: _whole(fail, p, v, 2))
    axis("events", None, lambda p, v: _whole(fail, p, v, 1))
    if sides == 2 and any(f is not None for f in axes["futility"]):
        raise fail(("futility",), "futility bounds need a one-sided design (sides: 1)")
    spec = GridSpec(axes, alpha, sides, power, drop_time, entry, alloc)
    if spec.size > MAX_CELLS:
        raise InputError(source, f"the grid has {spec.size} cells; at most {MAX_CELLS}")
    return spec


def _pos(x: float) -> bool:
    return x > 0


def _number(
    fail: Callable[..., InputError],
    path: tuple[Any, ...],
    value: Any,
    check: Callable[[float], bool],
    what: str,
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(path, f"must be a number, got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise fail(path, f"must be a finite number, got {value!r}")
    if not check(x):
        raise fail(path, f"must be {what}, got {value!r}")
    return x


def _whole(fail: Callable[..., InputError], path: tuple[Any, ...], value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(path, f"must be a whole number, got {value!r}")
    if value < low:
        raise fail(path, f"must be >= {low}, got {value!r}")
    return int(value)


def _choice(
    fail: Callable[..., InputError], path: tuple[Any, ...], value: Any, options: tuple[str, ...]
) -> str:
    if value not in options or not isinstance(value, str):
        raise fail(path, f"must be one of {', '.join(options)}, got {value!r}")
    return value


def _fractions(
    fail: Callable[..., InputError], path: tuple[Any, ...], value: Any
) -> tuple[float, ...]:
    if not isinstance(value, list) or not value:
        raise fail(
            path, f"a look plan is a list of information fractions, e.g. [0.5, 1]; got {value!r}"
        )
    fr = tuple(
        _number(fail, (*path, i), v, lambda x: 0 < x <= 1, "in (0, 1]") for i, v in enumerate(value)
    )
    if any(b <= a for a, b in itertools.pairwise(fr)):
        raise fail(path, f"fractions must increase strictly, got {value!r}")
    if fr[-1] != 1.0:
        raise fail(path, f"the last fraction must be 1, got {value!r}")
    return fr


def _spending(
    fail: Callable[..., InputError], path: tuple[Any, ...], value: Any, none: bool
) -> Spending | None:
    options = (*SPENDINGS, "hwang-shih-decani:GAMMA", *(("none",) if none else ()))
    if not isinstance(value, str):
        raise fail(path, f"must be one of {', '.join(options)}, got {value!r}")
    if none and value == "none":
        return None
    name, colon, param = value.partition(":")
    if name not in SPENDINGS or (colon and name != "hwang-shih-decani"):
        raise fail(path, f"must be one of {', '.join(options)}, got {value!r}")
    if not colon:
        return Spending(name)
    try:
        gamma = float(param)
    except ValueError:
        raise fail(path, f"the parameter after ':' must be a number, got {param!r}") from None
    if not math.isfinite(gamma):
        raise fail(path, f"the parameter after ':' must be finite, got {param!r}")
    return Spending(name, gamma)
