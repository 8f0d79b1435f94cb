"""Compiled decoder of screening records from JSON Lines straight into numpy columns.

Why hand-written: decoding into Python objects and then reading them back into columns
costs about 40 µs per record, where the screening engine itself takes 5; no library
decodes nested JSON into columns faster than that (measured: pyarrow 18 µs, polars
46 µs per record). This kernel walks the bytes once, guided by the tables of
:mod:`.json_layout`, and writes each value into its column.

It accepts only what it can decode exactly and *declines* the rest, which then takes the
general path (msgspec structs, then the pydantic model): a key or date with an escape,
a surrogate escape (``\\ud83c``; astral characters are rare in these records), a number
needing more than 15 significant digits or an exponent beyond ±22 (the range in which
``m × 10^e`` is correctly rounded, as Python's ``float`` is: W. D. Clinger, *How
to read floating point numbers accurately*, PLDI 1990), a repeated key, an unknown key,
a missing required key, a wrong type, a value out of its range, a date that is not a
calendar date, more list items than the layout reserves, invalid UTF-8, or anything
that is not JSON (RFC 8259). It runs on one core; :mod:`.batch` spreads a large batch
over processes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

from oligotrial.eligibility.json_layout import (
    BOOL,
    DAY,
    GIVEN,
    INT,
    NULL,
    OBJECT,
    OBJECT_LIST,
    TEXT,
    TEXT_NULL,
    Layout,
)
from oligotrial.eligibility.json_scan import utf8_valid

_POW10 = np.array([10.0**k for k in range(23)])
_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_DEPTH = 16
# frame kinds
_IN_OBJECT, _IN_LIST = 0, 1


_NO_DAY = -(2**62)


@numba.njit(cache=True, inline="always")
def _record(buf, start, end, r, frames, out, tables):  # type: ignore[no-untyped-def]
    """Decode record ``r`` (bytes ``[start, end)``); False when declined.

    One function without helpers on purpose: an array handed to a helper costs a
    reference-count update per call, which made the decoder twice as slow. ``out`` holds
    the output arrays and ``tables`` the layout's (see :func:`decode`). ``frames[:, depth]``
    is the open object or list at each depth: kind, node (object) or key (list), table,
    row, keys seen (object) or items (list), state (1 just opened, 0 after a value, 2 after
    a comma), and where to look for the next key."""
    values, state, text_start, text_length, text_key, counts, _ = out
    (
        key_bytes,
        key_length,
        key_kind,
        key_nullable,
        key_column,
        key_child,
        low,
        high,
        strict,
        min_length,
        node_first,
        node_end,
        node_table,
        node_required,
        base_n,
        width_n,
        base_t,
        width_t,
        capacity,
    ) = tables
    i = start
    while i < end and (buf[i] == 32 or buf[i] == 9 or buf[i] == 10 or buf[i] == 13):
        i += 1
    if i >= end or buf[i] != 123:
        return False
    depth = 0
    frames[0, 0], frames[1, 0], frames[2, 0], frames[3, 0] = _IN_OBJECT, 0, 0, 0
    frames[4, 0], frames[5, 0], frames[6, 0] = 0, 1, node_first[0]
    i += 1
    while True:
        while i < end and (buf[i] == 32 or buf[i] == 9 or buf[i] == 10 or buf[i] == 13):
            i += 1
        if i >= end:
            return False
        c = buf[i]
        if c == 44:  # ','
            if frames[5, depth] != 0:
                return False
            frames[5, depth] = 2
            i += 1
            continue
        table, row = frames[2, depth], frames[3, depth]
        if frames[0, depth] == _IN_OBJECT:
            node = frames[1, depth]
            if c == 125:  # '}'
                required = node_required[node]
                if frames[5, depth] == 2 or frames[4, depth] & required != required:
                    return False
                depth -= 1
                i += 1
                if depth < 0:
                    while i < end and (buf[i] == 32 or buf[i] == 9 or buf[i] == 10 or buf[i] == 13):
                        i += 1
                    return i == end
                continue
            if c != 34 or frames[5, depth] == 0:
                return False
            # the key: keys usually come in the schema's order, so the search starts
            # after the last key found; a key with an escape matches none and is declined
            i += 1
            first_key, stop_key = node_first[node], node_end[node]
            q = frames[6, depth]
            k = -1
            for _ in range(stop_key - first_key):
                if q >= stop_key:
                    q = first_key
                length = key_length[q]
                if i + length < end and buf[i + length] == 34:
                    same = True
                    for b in range(length):
                        if key_bytes[q, b] != buf[i + b]:
                            same = False
                            break
                    if same:
                        k = q
                        break
                q += 1
            if k < 0:
                return False
            bit = 1 << (k - first_key)
            if frames[4, depth] & bit:
                return False
            frames[4, depth] |= bit
            frames[5, depth] = 0
            frames[6, depth] = k + 1
            i += key_length[k] + 1
            while i < end and (buf[i] == 32 or buf[i] == 9 or buf[i] == 10 or buf[i] == 13):
                i += 1
            if i >= end or buf[i] != 58:  # ':'
                return False
            i += 1
            while i < end and (buf[i] == 32 or buf[i] == 9 or buf[i] == 10 or buf[i] == 13):
                i += 1
            if i >= end:
                return False
            c = buf[i]
            kind = key_kind[k]
            cell = base_n[table] + row * width_n[table] + key_column[k]
            text_cell = base_t[table] + row * width_t[table] + key_column[k]
            if c == 110:  # 'n'
                if (
                    not key_nullable[k]
                    or i + 4 > end
                    or buf[i + 1] != 117
                    or (buf[i + 2] != 108 or buf[i + 3] != 108)
                ):
                    return False
                if kind == TEXT:
                    text_length[text_cell, r] = TEXT_NULL
                else:
                    state[cell, r] = NULL
                i += 4
                continue
            if kind >= OBJECT:  # OBJECT, OBJECT_LIST or TEXT_LIST
                if c != (123 if kind == OBJECT else 91):
                    return False
                state[cell, r] = GIVEN
                values[cell, r] = 0.0
                depth += 1
                if depth >= _DEPTH:
                    return False
                frames[0, depth] = _IN_OBJECT if kind == OBJECT else _IN_LIST
                frames[1, depth] = key_child[k] if kind == OBJECT else k
                frames[2, depth], frames[3, depth], frames[4, depth] = table, row, 0
                frames[5, depth] = 1
                frames[6, depth] = node_first[key_child[k]] if kind == OBJECT else 0
                i += 1
                continue
        else:
            # in a list: frames hold the list's key, and its parent's table and row
            k = frames[1, depth]
            if c == 93:  # ']'
                if frames[5, depth] == 2:
                    return False
                values[base_n[table] + row * width_n[table] + key_column[k], r] = frames[4, depth]
                depth -= 1
                i += 1
                continue
            if frames[5, depth] == 0:
                return False
            frames[5, depth] = 0
            list_kind = key_kind[k]
            child = node_table[key_child[k]] if list_kind == OBJECT_LIST else key_child[k]
            item = counts[child, r]
            if item >= capacity[child]:
                return False
            counts[child, r] = item + 1
            frames[4, depth] += 1
            owner = base_n[child] + item * width_n[child]
            for other in range(owner + 1, owner + width_n[child]):
                state[other, r] = 0
            text_cell = base_t[child] + item * width_t[child]
            for other in range(text_cell, text_cell + width_t[child]):
                text_length[other, r] = -1
            values[owner, r] = row
            state[owner, r] = GIVEN
            if list_kind == OBJECT_LIST:
                if c != 123:
                    return False
                depth += 1
                if depth >= _DEPTH:
                    return False
                frames[0, depth], frames[1, depth] = _IN_OBJECT, key_child[k]
                frames[2, depth], frames[3, depth], frames[4, depth] = child, item, 0
                frames[5, depth], frames[6, depth] = 1, node_first[key_child[k]]
                i += 1
                continue
            kind, cell = TEXT, owner  # a text item: its cell is text column 0 of its row
        # a scalar value of key ``k`` (or a text item) at ``i``
        if kind <= DAY:  # TEXT or DAY
            if c != 34:
                return False
            j = i + 1
            wide = False
            escaped = False
            while j < end and buf[j] != 34:
                b = buf[j]
                if b < 32:
                    return False
                if b >= 128:
                    wide = True
                elif b == 92:  # an escape: checked here, decoded with the distinct texts
                    escaped = True
                    j += 1
                    if j >= end:
                        return False
                    e = buf[j]
                    if e == 117:  # \uXXXX, not a surrogate (a lone one is no text)
                        if j + 4 >= end:
                            return False
                        code = 0
                        for h in range(j + 1, j + 5):
                            x = buf[h]
                            if 48 <= x <= 57:
                                code = code * 16 + x - 48
                            elif 97 <= x <= 102 or 65 <= x <= 70:
                                code = code * 16 + (x | 32) - 87
                            else:
                                return False
                        if 0xD800 <= code <= 0xDFFF:
                            return False
                        j += 4
                    elif not (
                        e == 34
                        or e == 92
                        or e == 47
                        or e == 98
                        or e == 102
                        or e == 110
                        or e == 114
                        or e == 116
                    ):
                        return False
                j += 1
            if j >= end or (wide and not utf8_valid(buf, i + 1, j)):
                return False
            length = j - i - 1
            if kind == DAY:
                if length != 10 or escaped:
                    return False
                day = _NO_DAY
                numeric = True
                for d in (1, 2, 3, 4, 6, 7, 9, 10):
                    numeric = numeric and 48 <= buf[i + d] <= 57
                if numeric and buf[i + 5] == 45 and buf[i + 8] == 45:
                    y = (
                        (buf[i + 1] - 48) * 1000
                        + (buf[i + 2] - 48) * 100
                        + (buf[i + 3] - 48) * 10
                        + buf[i + 4]
                        - 48
                    )
                    m = (buf[i + 6] - 48) * 10 + buf[i + 7] - 48
                    d = (buf[i + 9] - 48) * 10 + buf[i + 10] - 48
                    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
                    if (
                        y >= 1
                        and 1 <= m <= 12
                        and d >= 1
                        and d <= _MONTH[m - 1] + (1 if m == 2 and leap else 0)
                    ):
                        y -= 1 if m <= 2 else 0  # days from civil (H. Hinnant)
                        era = y // 400
                        yoe = y - era * 400
                        doy = (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1
                        day = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
                if day == _NO_DAY:
                    return False
                values[cell, r] = day
                state[cell, r] = GIVEN
            else:
                if length < min_length[k] and frames[0, depth] == _IN_OBJECT:
                    return False
                text_start[text_cell, r] = i + 1
                text_length[text_cell, r] = length
                # the first 16 bytes as two integers: texts up to 16 bytes long are then
                # compared without going back to the input (see ``intern``)
                w0 = np.uint64(0)
                w1 = np.uint64(0)
                for b in range(min(length, 8)):
                    w0 |= np.uint64(buf[i + 1 + b]) << np.uint64(8 * b)
                for b in range(8, min(length, 16)):
                    w1 |= np.uint64(buf[i + 1 + b]) << np.uint64(8 * (b - 8))
                text_key[0, text_cell, r] = w0
                text_key[1, text_cell, r] = w1
            i = j + 1
            continue
        if kind == BOOL:
            if (
                i + 4 <= end
                and c == 116
                and buf[i + 1] == 114
                and buf[i + 2] == 117
                and (buf[i + 3] == 101)
            ):
                values[cell, r] = 1.0
                i += 4
            elif (
                i + 5 <= end
                and c == 102
                and buf[i + 1] == 97
                and buf[i + 2] == 108
                and (buf[i + 3] == 115 and buf[i + 4] == 101)
            ):
                values[cell, r] = 0.0
                i += 5
            else:
                return False
            state[cell, r] = GIVEN
            continue
        # a number (RFC 8259 grammar); exact only up to 15 digits and 10^±22 (see above)
        negative = c == 45
        if negative:
            i += 1
        if i >= end or not 48 <= buf[i] <= 57:
            return False
        mantissa = 0
        digits = 0
        exponent = 0
        integral = True
        if buf[i] == 48:
            i += 1
        else:
            while i < end and 48 <= buf[i] <= 57:
                mantissa = mantissa * 10 + (buf[i] - 48)
                digits += 1
                i += 1
        if i < end and buf[i] == 46:
            integral = False
            i += 1
            if i >= end or not 48 <= buf[i] <= 57:
                return False
            while i < end and 48 <= buf[i] <= 57:
                mantissa = mantissa * 10 + (buf[i] - 48)
                exponent -= 1
                if mantissa > 0:
                    digits += 1
                i += 1
                if digits > 15:
                    return False
        if i < end and (buf[i] == 101 or buf[i] == 69):
            integral = False
            i += 1
            sign = 1
            if i < end and (buf[i] == 43 or buf[i] == 45):
                sign = -1 if buf[i] == 45 else 1
                i += 1
            if i >= end or not 48 <= buf[i] <= 57:
                return False
            e = 0
            while i < end and 48 <= buf[i] <= 57 and e <= 400:
                e = e * 10 + (buf[i] - 48)
                i += 1
            exponent += sign * e
        if digits > 15 or exponent > 22 or exponent < -22 or (kind == INT and not integral):
            return False
        value = float(mantissa)
        if exponent > 0:
            value *= _POW10[exponent]
        elif exponent < 0:
            value /= _POW10[-exponent]
        if negative:
            value = -value
        flags = strict[k]
        if value < low[k] or (flags & 1 and value == low[k]):
            return False
        if value > high[k] or (flags & 2 and value == high[k]):
            return False
        values[cell, r] = value
        state[cell, r] = GIVEN


_BLOCK = 64  # records whose cells are reset together


@numba.njit(cache=True, nogil=True)
def _decode(buf, starts, ends, out, tables):  # type: ignore[no-untyped-def]
    state, text_length, counts, ok = out[1], out[3], out[5], out[6]
    n_record, t_record = tables[15][0], tables[17][0]  # cells of the record table
    n = len(starts)
    for block in range((n + _BLOCK - 1) // _BLOCK):
        frames = np.empty((7, _DEPTH), dtype=np.int64)
        first, stop = block * _BLOCK, min(n, (block + 1) * _BLOCK)
        # reset the record table's cells; a list row's cells are reset when it is used
        for c in range(n_record):
            for r in range(first, stop):
                state[c, r] = 0
        for c in range(t_record):
            for r in range(first, stop):
                text_length[c, r] = -1
        for c in range(counts.shape[0]):
            for r in range(first, stop):
                counts[c, r] = 0
        for r in range(first, stop):
            ok[r] = _record(buf, starts[r], ends[r], r, frames, out, tables)


@dataclass
class Decoded:
    """Columns of decoded records; row ``r`` is meaningful only where ``ok[r]``."""

    values: npt.NDArray[np.float64]  # (numeric cells, records): column by column
    state: npt.NDArray[np.int8]  # MISSING, NULL or GIVEN per numeric cell
    text_start: npt.NDArray[np.int64]  # (text cells, records): position in the buffer
    text_length: npt.NDArray[np.int64]  # byte length, or TEXT_MISSING / TEXT_NULL
    text_key: npt.NDArray[np.uint64]  # (2, text cells, records): the first 16 bytes
    counts: npt.NDArray[np.int64]  # (tables, records): rows used in each list table
    ok: npt.NDArray[np.bool_]  # decoded (False: declined, for the general path)


def decode(
    buf: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    layout: Layout,
    out: Decoded | None = None,
) -> Decoded:
    """Decode the records at ``buf[starts[i]:ends[i]]`` into the layout's columns, reusing
    ``out`` (arrays for as many records) when given."""
    n, L = len(starts), layout
    if out is None or len(out.ok) != n:
        out = Decoded(
            np.empty((L.width_number, n)),
            np.empty((L.width_number, n), dtype=np.int8),
            np.empty((L.width_text, n), dtype=np.int64),
            np.empty((L.width_text, n), dtype=np.int64),
            np.empty((2, L.width_text, n), dtype=np.uint64),
            np.empty((len(L.tables), n), dtype=np.int64),
            np.empty(n, dtype=np.bool_),
        )
    arrays = (
        out.values,
        out.state,
        out.text_start,
        out.text_length,
        out.text_key,
        out.counts,
        out.ok,
    )
    _decode(buf, starts, ends, arrays, layout.arrays())
    return out
