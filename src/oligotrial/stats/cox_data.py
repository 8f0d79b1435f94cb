"""Input checking and the sorted layout shared by the Cox fit and the PH test.

The data are sorted once (by stratum, then time ascending) and cut into tie groups:
rows of one stratum with the same time. The fitting kernels walk the groups backwards,
so each Newton iteration is a linear pass. Counting-process data (R's
``Surv(start, stop, event)``) add each row's entry time and a second order of the rows by
(stratum, entry), with which the kernels drop a row from the risk set once the walk
passes its entry: a row is at risk at t when start < t <= stop.

Times closer than about sqrt(machine epsilon) are made equal first, as R's survival
package does by default (``coxph.control(timefix = TRUE)``, function ``aeqSurv``):
sort the distinct finite times; a gap ``d`` is a tie when ``d <= tol`` or
``d / mean(|times|) <= tol``; each time is replaced by the first time of its run. With
entry times, the start and stop times are folded together, and an interval that this
makes empty is refused (R stops with "an interval has effective length 0").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from oligotrial.errors import InputError
from oligotrial.stats import cox_layout
from oligotrial.stats._tally import counting_order, whole_numbers

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

TIME_TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))

MissingAction = Literal["error", "omit"]

_NO_ROWS: IntArray = np.zeros(0, dtype=np.intp)


@dataclass(frozen=True)
class CoxData:
    """Validated survival data sorted by (stratum, time), with its tie groups."""

    names: tuple[str, ...]
    time: FloatArray  # sorted, after the near-tie fix
    status: npt.NDArray[np.int8]  # sorted, 1 = event
    x: FloatArray  # (n, p) sorted covariates, original scale, C order
    stratum: IntArray  # sorted stratum code per row
    group_start: IntArray  # (G + 1,) boundaries of tie groups
    last_of_stratum: BoolArray  # (G,) group g is the latest-time group of its stratum
    order: IntArray  # sorted position -> row of the kept input
    n_dropped: int
    entry: FloatArray | None = None  # sorted entry (start) times; None: right-censored data
    entry_order: IntArray = field(default_factory=lambda: _NO_ROWS)  # by (stratum, entry)
    cluster: IntArray | None = None  # sorted cluster code per row
    n_clusters: int = 0

    @property
    def n(self) -> int:
        return int(self.time.shape[0])

    @property
    def n_events(self) -> int:
        return int(self.status.sum())


def _as_float(name: str, values: Any) -> FloatArray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(name, "must be numeric") from None
    if arr.ndim != 1:
        raise InputError(name, f"must be one-dimensional, got shape {arr.shape}")
    return arr


def fix_near_ties(time: FloatArray) -> FloatArray:
    """Replace finite times that differ by less than the tolerance by one value (aeqSurv)."""
    order = np.argsort(time, kind="stable")
    fixed = np.empty_like(time)
    fixed[order] = _fix_sorted_near_ties(time[order])
    return fixed


def _fix_sorted_near_ties(ts: FloatArray) -> FloatArray:
    """``fix_near_ties`` for an already sorted array of finite times."""
    if ts.size < 2:
        return ts
    step = np.diff(ts)
    distinct = np.concatenate(([True], step > 0))
    unique = ts[distinct]
    if unique.size < 2:
        return ts
    gaps = np.diff(unique)
    scale = float(np.mean(np.abs(unique)))
    tied = (gaps <= TIME_TOLERANCE) | (gaps / scale <= TIME_TOLERANCE)
    if not tied.any():
        return ts
    keep = np.concatenate(([True], ~tied))
    run_id = np.cumsum(keep) - 1  # run of each distinct time
    first_of_run = unique[keep]
    distinct_id = np.cumsum(distinct) - 1
    fixed: FloatArray = first_of_run[run_id[distinct_id]]
    return fixed


def _event_codes(event: Any, n: int) -> tuple[npt.NDArray[np.int8], BoolArray]:
    """0/1 codes and a missing-value (NaN) mask."""
    arr = np.asarray(event)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise InputError("event", f"must have one value per time ({n}), got shape {arr.shape}")
    if arr.dtype == np.bool_:
        return arr.astype(np.int8), np.zeros(n, dtype=bool)
    try:
        num = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise InputError("event", "must be 0/1 (or true/false)") from None
    missing = np.isnan(num)
    bad = ~((num == 0) | (num == 1) | missing)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InputError("event", f"must be 0 or 1; row {first} is {arr[first]!r}")
    return np.where(missing, 0, num).astype(np.int8), missing


def _stratum_codes(strata: Any, n: int, field: str = "strata") -> tuple[IntArray, BoolArray]:
    """Codes 0..k-1 of the labels (text or numbers) and a missing-value mask."""
    arr = np.asarray(strata)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise InputError(field, f"must have one value per time ({n}), got shape {arr.shape}")
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
    elif arr.dtype.kind in "OUS":
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in arr])
        arr = arr.astype(str)
    else:
        missing = np.zeros(n, dtype=bool)
    codes = np.zeros(n, dtype=np.intp)
    if (~missing).any():
        _, inverse = np.unique(arr[~missing], return_inverse=True)
        codes[~missing] = inverse.astype(np.intp)
    return codes, missing


def prepare(
    time: Any,
    event: Any,
    covariates: Mapping[str, Any],
    strata: Any = None,
    *,
    start: Any = None,
    cluster: Any = None,
    missing: MissingAction = "error",
) -> CoxData:
    """Check the inputs and return them sorted by (stratum, time) with tie groups.

    ``start``: entry times of (start, stop] rows (``time`` is then the stop time);
    ``cluster``: one label per row for the robust variance. Raises ``InputError`` naming
    the argument or covariate at fault.
    """
    t = _as_float("time", time)
    n = t.shape[0]
    if n == 0:
        raise InputError("time", "no observations")
    status, event_missing = _event_codes(event, n)
    if not isinstance(covariates, Mapping) or len(covariates) == 0:
        raise InputError("covariates", "give at least one covariate as a mapping name -> values")
    names = tuple(str(k) for k in covariates)
    columns: list[FloatArray] = []
    for name, values in zip(names, covariates.values(), strict=True):
        col = _as_float(f"covariates.{name}", values)
        if col.shape[0] != n:
            raise InputError(f"covariates.{name}", f"has {col.shape[0]} values, time has {n}")
        if np.isinf(col).any():
            raise InputError(f"covariates.{name}", "contains an infinite value")
        columns.append(col)
    codes, strata_missing = (
        _stratum_codes(strata, n)
        if strata is not None
        else (np.zeros(n, dtype=np.intp), np.zeros(n, dtype=bool))
    )

    entry = None if start is None else _as_float("start", start)
    if entry is not None and entry.shape[0] != n:
        raise InputError("start", f"has {entry.shape[0]} values, time has {n}")
    clusters, cluster_missing = (
        _stratum_codes(cluster, n, "cluster")
        if cluster is not None
        else (np.zeros(n, dtype=np.intp), np.zeros(n, dtype=bool))
    )

    incomplete = np.isnan(t) | event_missing | strata_missing | cluster_missing
    if entry is not None:
        incomplete |= np.isnan(entry)
    for col in columns:
        if np.isnan(col).any():
            incomplete |= np.isnan(col)
    n_dropped = int(incomplete.sum())
    if n_dropped:
        if missing != "omit":
            raise InputError(
                _first_missing_field(
                    t, event_missing, columns, strata_missing, names, entry, cluster_missing
                ),
                "contains missing values (NaN); pass missing='omit' to drop incomplete rows "
                "as R's na.omit does",
            )
        keep = ~incomplete
        t, status, codes, clusters = t[keep], status[keep], codes[keep], clusters[keep]
        columns = [col[keep] for col in columns]
        entry = None if entry is None else entry[keep]
        # clusters whose rows were all dropped leave no gap in the codes
        clusters = np.unique(clusters, return_inverse=True)[1].astype(np.intp).reshape(-1)
    if t.shape[0] == 0:
        raise InputError("time", "no complete observations")
    if np.isinf(t).any():
        raise InputError("time", "contains an infinite value")
    if (t < 0).any():
        first = int(np.flatnonzero(t < 0)[0])
        raise InputError("time", f"must not be negative; row {first} is {t[first]}")
    if status.sum() == 0:
        raise InputError("event", "there are no events; a Cox model cannot be fitted")
    _check_variation(columns, names)

    if entry is not None:
        entry, t = _check_intervals(entry, t)
    cols = tuple(_plain(col) for col in columns)
    grid = _day_grid(t) if strata is None else None
    if grid is not None:  # days: one counting sort moves every row to its place
        order, ts, status, x = cox_layout.scatter_by_day(*grid, t, status, cols)
    else:
        order, ts = _time_order(t, fold=entry is None)
        if strata is not None:
            by_stratum = np.argsort(codes[order], kind="stable")
            order = order[by_stratum]
            ts = ts[by_stratum]
        status, x = cox_layout.gather_rows(order, status, cols)
    ss = codes[order] if strata is not None else np.zeros(ts.shape[0], dtype=np.intp)
    new_time = ts[1:] != ts[:-1]
    if strata is not None:
        new_time |= ss[1:] != ss[:-1]
    group_start = np.concatenate(([0], np.flatnonzero(new_time) + 1, [ts.shape[0]]))
    group_start = group_start.astype(np.intp)
    first_rows = group_start[:-1]
    last_of_stratum = np.zeros(first_rows.shape[0], dtype=bool)
    last_of_stratum[-1] = True
    if strata is not None:
        last_of_stratum[:-1] = ss[first_rows[1:]] != ss[first_rows[:-1]]
    entry_sorted = None if entry is None else np.ascontiguousarray(entry[order])
    entry_order = (
        _NO_ROWS
        if entry_sorted is None
        else np.lexsort((entry_sorted, ss)).astype(np.intp)  # by stratum, then entry
    )
    return CoxData(
        names=names,
        time=np.ascontiguousarray(ts),
        status=status,
        x=x,
        stratum=ss,
        group_start=group_start,
        last_of_stratum=last_of_stratum,
        order=order,
        n_dropped=n_dropped,
        entry=entry_sorted,
        entry_order=entry_order,
        cluster=None if cluster is None else clusters[order],
        n_clusters=0 if cluster is None else int(clusters.max()) + 1,
    )


def _time_order(t: FloatArray, *, fold: bool) -> tuple[IntArray, FloatArray]:
    """Sorting permutation of ``t`` and the sorted times, near ties folded if ``fold``.

    Whole-number times on a short grid (days) are ordered by counting, in linear time;
    being at least 1 apart and below 1 / tolerance, they have no near ties to fold.
    Otherwise a general sort (``argsort_times``); order within a tie group does not change
    the sums, so an unstable one will do.
    """
    grid = _day_grid(t)
    if grid is not None:
        order = counting_order(*grid)
        return order, t[order]
    order, ts = argsort_times(t)
    return order, (_fix_sorted_near_ties(ts) if fold else ts)


def argsort_times(t: FloatArray) -> tuple[IntArray, FloatArray]:
    """A sorting permutation of non-negative times, and the sorted times.

    The row number is packed into the low bits of each time's bit pattern (for
    non-negative doubles it orders like the value) and the plain 64-bit keys are sorted,
    several times faster than ``argsort`` at 10^6 rows. Distinct times that agree in all
    the other bits (relative difference below 2^-(52 - log2 n); at 10^6 random times a
    few dozen pairs) then sit in one run of equal keys in row order; each such run that
    is out of order is sorted by time.
    """
    n = t.shape[0]
    shift = np.uint64(max(1, (n - 1).bit_length()))
    if int(shift) > 40:
        order = np.argsort(t).astype(np.intp)
        return order, t[order]
    bits = (t + 0.0).view(np.uint64)  # + 0.0 turns -0.0 into 0.0
    keys = (bits >> shift) << shift
    keys |= np.arange(n, dtype=np.uint64)
    keys.sort()
    order = (keys & ((np.uint64(1) << shift) - np.uint64(1))).astype(np.intp)
    ts = t[order]
    bad = np.flatnonzero(ts[1:] < ts[:-1])
    if bad.size:
        high = keys >> shift
        starts = np.flatnonzero(np.concatenate(([True], high[1:] != high[:-1])))
        ends = np.append(starts[1:], n)
        for run in np.unique(np.searchsorted(starts, bad, side="right") - 1):
            lo, hi = int(starts[run]), int(ends[run])
            rows = order[lo:hi]
            order[lo:hi] = rows[np.argsort(t[rows], kind="stable")]
            ts[lo:hi] = t[order[lo:hi]]
    return order, ts


def _plain(col: FloatArray) -> FloatArray:
    """A contiguous, writeable array, so that every column has the same compiled type."""
    return col if col.flags.c_contiguous and col.flags.writeable else col.copy()


def _day_grid(t: FloatArray) -> tuple[IntArray, int] | None:
    """Whole-number times on a short grid (see ``_time_order``) as integers, and the largest."""
    grid = whole_numbers(t)
    return grid if grid is not None and grid[1] * TIME_TOLERANCE < 1.0 else None


def _check_intervals(entry: FloatArray, stop: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Check (start, stop] rows and fold near ties of start and stop times together."""
    if np.isinf(entry).any():
        raise InputError("start", "contains an infinite value")
    if (entry < 0).any():
        first = int(np.flatnonzero(entry < 0)[0])
        raise InputError("start", f"must not be negative; row {first} is {entry[first]}")
    empty = stop <= entry
    if empty.any():
        first = int(np.flatnonzero(empty)[0])
        raise InputError(
            "start",
            f"must be before the stop time; row {first} has start {entry[first]} and "
            f"stop {stop[first]}",
        )
    n = stop.shape[0]
    folded = fix_near_ties(np.concatenate((entry, stop)))
    entry, stop = folded[:n], folded[n:]
    empty = stop <= entry
    if empty.any():
        first = int(np.flatnonzero(empty)[0])
        raise InputError(
            "start",
            f"row {first}: start and stop times differ by less than the time tolerance "
            "(sqrt of machine epsilon), leaving an interval of length 0",
        )
    return entry, stop


def _first_missing_field(
    t: FloatArray,
    event_missing: BoolArray,
    columns: Sequence[FloatArray],
    strata_missing: BoolArray,
    names: Sequence[str],
    entry: FloatArray | None,
    cluster_missing: BoolArray,
) -> str:
    if entry is not None and np.isnan(entry).any():
        return "start"
    if np.isnan(t).any():
        return "time"
    if event_missing.any():
        return "event"
    for col, name in zip(columns, names, strict=True):
        if np.isnan(col).any():
            return f"covariates.{name}"
    return "strata" if strata_missing.any() else "cluster"


def _check_variation(columns: Sequence[FloatArray], names: Sequence[str]) -> None:
    for col, name in zip(columns, names, strict=True):
        if col.shape[0] and (col == col[0]).all():
            raise InputError(f"covariates.{name}", "has no variance (every value is the same)")


def _only_signs(col: FloatArray) -> bool:
    return bool(((col == -1.0) | (col == 0.0) | (col == 1.0)).all())


def centring(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per-column centre and scale as R's coxph: mean, and 1 / mean absolute deviation.

    Columns whose values all lie in {-1, 0, 1} are left alone (centre 0, scale 1).
    """
    p = x.shape[1]
    means = np.zeros(p)
    scales = np.ones(p)
    for j in range(p):
        col = x[:, j]
        if _only_signs(col[:64]) and _only_signs(col):
            continue
        means[j] = col.mean()
        spread = np.abs(col - means[j]).mean()
        scales[j] = 1.0 / spread if spread > 0 else 1.0
    return means, scales
