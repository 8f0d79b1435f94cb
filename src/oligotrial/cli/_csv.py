"""Read survival data from a CSV file for the ``stats`` commands.

Shared by every ``oligotrial stats`` command: the time and event columns are checked
(finite, non-negative times; events in the declared coding), other columns (group, strata,
covariates) are returned as arrays, text allowed. Problems are reported as
:class:`~oligotrial.errors.InputError` naming the option and column, with the first bad row
(1-based data row, header excluded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from oligotrial.errors import InputError


@dataclass(frozen=True)
class SurvivalCsv:
    """Checked columns of a survival CSV file."""

    time: np.ndarray
    event: np.ndarray
    columns: dict[str, np.ndarray]

    @property
    def n(self) -> int:
        return int(self.time.shape[0])


def parse_event_coding(coding: str) -> tuple[float, float]:
    """``"0,1"`` or ``"1,2"`` (R's coding) -> (censored value, event value)."""
    parts = [p.strip() for p in coding.split(",")]
    try:
        censored, event = (float(p) for p in parts)
    except ValueError:
        raise InputError(
            "--event-coding", f"must be two numbers 'censored,event' such as 0,1 or 1,2: {coding!r}"
        ) from None
    if censored == event:
        raise InputError("--event-coding", "the censored and event codes must differ")
    return censored, event


def _first_bad_row(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def read_survival_csv(
    path: Path,
    *,
    time: str,
    event: str,
    event_coding: str = "0,1",
    other: dict[str, str | Sequence[str] | None] | None = None,
) -> SurvivalCsv:
    """Read ``path``; ``other`` maps an option name (``"--group"``) to a column, ``None``
    (option not given) or several columns (``"--covariates"``: ``["age", "ecog"]``).

    ``columns`` of the result is keyed by the option for a single column and by
    ``"option:column"`` (``"--covariates:age"``) for each of several columns.
    """
    import pandas as pd

    censored_code, event_code = parse_event_coding(event_coding)
    if not path.is_file():
        raise InputError("DATA", f"file not found: {path}")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError("DATA", f"cannot read {path.name} as CSV ({exc})") from None
    wanted: dict[str, str] = {"--time": time, "--event": event}
    for opt, col in (other or {}).items():
        if isinstance(col, str):
            wanted[opt] = col
        elif col is not None:
            wanted.update({f"{opt}:{name}": name for name in col})
    for key, column in wanted.items():
        option = key.split(":")[0]
        if column not in frame.columns:
            known = ", ".join(map(str, frame.columns))
            raise InputError(option, f"no column {column!r} in {path.name} (columns: {known})")
    if len(frame) == 0:
        raise InputError("DATA", f"{path.name} has no data rows")
    times = pd.to_numeric(frame[time], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(times) | (times < 0)
    if bad.any():
        row = _first_bad_row(bad)
        raise InputError(
            "--time",
            f"column {time!r} row {row}: {str(frame[time].iloc[row - 1])!r} is not a time >= 0",
        )
    codes = pd.to_numeric(frame[event], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~((codes == censored_code) | (codes == event_code))
    if bad.any():
        row = _first_bad_row(bad)
        raise InputError(
            "--event",
            f"column {event!r} row {row}: {str(frame[event].iloc[row - 1])!r} is neither "
            f"{censored_code:g} (censored) nor {event_code:g} (event); see --event-coding",
        )
    columns: dict[str, np.ndarray] = {}
    for option, column in wanted.items():
        if option in ("--time", "--event"):
            continue
        series = frame[column]
        missing = series.isna().to_numpy()
        if missing.any():
            raise InputError(option, f"column {column!r} row {_first_bad_row(missing)} is empty")
        columns[option] = series.to_numpy()
    return SurvivalCsv(time=times, event=codes == event_code, columns=columns)


def numeric_column(option: str, column: str, values: np.ndarray) -> np.ndarray:
    """``values`` as floats, or an error naming the option, column and first bad row."""
    import pandas as pd

    numbers: np.ndarray = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(
        dtype=np.float64
    )
    bad = ~np.isfinite(numbers)
    if bad.any():
        row = _first_bad_row(bad)
        raise InputError(
            option, f"column {column!r} row {row}: {str(values[row - 1])!r} is not a number"
        )
    return numbers


def label(value: Any) -> Any:
    """A group label as plain Python (numpy scalars unwrapped)."""
    return value.item() if hasattr(value, "item") else value
