"""Shared kernel of the batched survival functions: sort each row once, find tied blocks.

Rows of ``(T, N)`` arrays are independent data sets. Invalid subjects (``valid`` False) are
moved to the end of the row with time ``+inf``. A block is a run of sorted times tied under
the ``aeqSurv`` rule of :mod:`._ties` (applied per row to the valid times), so every row is
treated exactly as the single-data-set functions treat it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from oligotrial.errors import InputError
from oligotrial.stats._ties import TOLERANCE
from oligotrial.stats._validate import BoolArray, FloatArray

CHUNK_ELEMENTS = 1 << 16  # rows are processed in chunks of about this many subjects


def valid_mask(valid: Any) -> BoolArray | None:
    """``valid`` as a boolean array if it is one (else ``None``; checked later)."""
    if valid is None:
        return None
    arr = np.asarray(valid)
    return arr if arr.dtype == np.bool_ else None


def check_valid(valid: Any, shape: tuple[int, ...]) -> BoolArray:
    """The ``valid`` mask (all True when ``None``), checked to be boolean of ``shape``."""
    ok = np.ones(shape, dtype=bool) if valid is None else np.asarray(valid)
    if ok.shape != shape or ok.dtype != np.bool_:
        raise InputError("valid", f"must be a boolean array of shape {shape}")
    return ok


def sorted_blocks(
    time: FloatArray, valid: BoolArray, *, exact: bool = False
) -> tuple[np.ndarray, FloatArray, np.ndarray, np.ndarray]:
    """Sort rows; return the order, sorted times, block-start index and block-end mask.

    Invalid subjects are moved to the end with time ``+inf``. A block is a run of sorted
    times tied under the ``aeqSurv`` rule, or of equal times if ``exact`` (for times that
    were already folded, e.g. on the pooled data before splitting into strata).
    """
    rows, n = time.shape
    t = np.where(valid, time, np.inf)
    order = np.argsort(t, axis=1)
    ts = np.take_along_axis(t, order, axis=1)
    with np.errstate(invalid="ignore"):
        dy = np.diff(ts, axis=1)
    finite = np.isfinite(ts)
    distinct = np.concatenate([finite[:, :1], (dy > 0) & finite[:, 1:]], axis=1)
    count = distinct.sum(axis=1)
    mean_abs = np.where(distinct, np.abs(ts), 0.0).sum(axis=1) / np.maximum(count, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        near = (dy <= TOLERANCE) | (dy / mean_abs[:, None] <= TOLERANCE)
    tied = dy == 0 if exact else near
    new_block = np.concatenate([np.ones((rows, 1), dtype=bool), ~tied], axis=1)
    index = np.where(new_block, np.arange(n, dtype=np.intp), 0)
    start = np.maximum.accumulate(index, axis=1)
    end = np.concatenate([new_block[:, 1:], np.ones((rows, 1), dtype=bool)], axis=1)
    return order, ts, start, end


def fold_rows(time: FloatArray, valid: BoolArray) -> FloatArray:
    """Each row's times with near-ties folded (``aeqSurv`` over the row's valid subjects)."""
    order, ts, start, _ = sorted_blocks(time, valid)
    folded = np.take_along_axis(ts, start, axis=1)
    out = np.empty_like(folded)
    np.put_along_axis(out, order, folded, axis=1)
    return np.where(valid, out, time)
