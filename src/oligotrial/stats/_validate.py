"""Input checks shared by the survival functions.

Every check raises :class:`~oligotrial.errors.InputError` naming the argument and the
problem; nothing is silently coerced to NaN.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from oligotrial.errors import InputError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]


def as_times(
    values: Any, name: str = "time", *, ndim: int = 1, mask: BoolArray | None = None
) -> FloatArray:
    """Return ``values`` as a float array of finite, non-negative times.

    With ``mask`` only the masked-in entries are checked (the others are ignored by the
    caller, e.g. subjects not yet enrolled in a batched analysis).
    """
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(name, f"must be numeric ({exc})") from None
    if arr.ndim != ndim:
        raise InputError(name, f"must be a {ndim}-dimensional array, got {arr.ndim} dimensions")
    if arr.size == 0:
        raise InputError(name, "is empty")
    checked = arr if mask is None or mask.shape != arr.shape else arr[mask]
    if not np.all(np.isfinite(checked)):
        raise InputError(name, "contains NaN or infinite values")
    if np.any(checked < 0):
        raise InputError(name, "contains negative times")
    return arr


def as_events(values: Any, shape: tuple[int, ...], name: str = "event") -> BoolArray:
    """Return ``values`` as a boolean event indicator; only 0/1 (or True/False) allowed."""
    arr = np.asarray(values)
    if arr.shape != shape:
        raise InputError(name, f"has shape {arr.shape}, expected {shape} (same as time)")
    if arr.dtype == np.bool_:
        return arr
    try:
        num = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise InputError(name, "must be 0 (censored) or 1 (event)") from None
    if not np.all((num == 0) | (num == 1)):
        raise InputError(name, "must be 0 (censored) or 1 (event); found other values")
    out: BoolArray = num == 1
    return out


def as_labels(
    values: Any, n: int, name: str, *, min_levels: int = 1
) -> tuple[tuple[Any, ...], IntArray]:
    """Encode a label vector: sorted distinct labels and a code (0..k-1) per subject."""
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise InputError(name, f"must be a 1-dimensional array of length {n}")
    if arr.dtype.kind == "f" and np.any(np.isnan(arr)):
        raise InputError(name, "contains missing (NaN) values")
    if arr.dtype.kind == "O":
        if any(v is None or (isinstance(v, float) and np.isnan(v)) for v in arr):
            raise InputError(name, "contains missing values")
        arr = arr.astype(str)
    fits = arr.dtype.kind == "i" or (arr.dtype.kind == "u" and arr.dtype.itemsize < 8)
    levels, codes = _small_int_codes(arr) if fits else (None, None)
    if levels is None or codes is None:
        levels, codes = np.unique(arr, return_inverse=True)
    if levels.shape[0] < min_levels:
        raise InputError(
            name, f"needs at least {min_levels} distinct levels, found {levels.shape[0]}"
        )
    return tuple(levels.tolist()), codes.astype(np.intp).reshape(-1)


def _small_int_codes(arr: npt.NDArray[Any]) -> tuple[Any, Any]:
    """``np.unique(arr, return_inverse=True)`` by counting, for integers of a small range
    (group and arm codes); ``(None, None)`` when the range is large."""
    if arr.size == 0:
        return None, None
    low, high = int(arr.min()), int(arr.max())
    if high - low > max(arr.size, 1 << 16):
        return None, None
    offset = arr.astype(np.intp) - low
    present = np.bincount(offset) > 0
    levels = (np.flatnonzero(present) + low).astype(arr.dtype)
    codes = (np.cumsum(present) - 1)[offset]
    return levels, codes


def as_conf_level(conf_level: float) -> float:
    """Check a confidence level lies strictly between 0 and 1."""
    level = float(conf_level)
    if not 0.0 < level < 1.0:
        raise InputError("conf_level", f"must be between 0 and 1 (exclusive), got {conf_level!r}")
    return level
