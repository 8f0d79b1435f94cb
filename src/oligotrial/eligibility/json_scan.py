"""Compiled scans of JSON Lines bytes: where the records are, equal texts, valid UTF-8.

Both go over raw bytes so that no Python object is made per line or per text.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def intern(buf, starts, lengths, key0, key1):  # type: ignore[no-untyped-def]
    """Codes of equal texts ``buf[starts[i]:starts[i] + lengths[i]]`` (-1 where the length
    is negative: no text) and the position of each code's first occurrence. ``key0`` and
    ``key1`` hold each text's first 16 bytes: equal keys and lengths decide texts up to 16
    bytes; longer ones are compared byte for byte."""
    m = len(starts)
    size = 16
    while size < 2 * m:
        size *= 2
    table = np.full(size, -1, dtype=np.int64)
    codes = np.full(m, -1, dtype=np.int64)
    first = np.empty(m, dtype=np.int64)
    distinct = 0
    for i in range(m):
        length = lengths[i]
        if length < 0:
            continue
        a, b = key0[i], key1[i]
        h = (a * np.uint64(0x9E3779B97F4A7C15)) ^ (b * np.uint64(0xC2B2AE3D27D4EB4F))
        h ^= np.uint64(length) * np.uint64(0x165667B19E3779F9)
        h ^= h >> np.uint64(29)
        slot = np.int64(h & np.uint64(size - 1))
        while True:
            code = table[slot]
            if code < 0:
                table[slot] = distinct
                first[distinct] = i
                codes[i] = distinct
                distinct += 1
                break
            f = first[code]
            if lengths[f] == length and key0[f] == a and key1[f] == b:
                same = True
                if length > 16:
                    s, t = starts[i], starts[f]
                    for k in range(16, length):
                        if buf[t + k] != buf[s + k]:
                            same = False
                            break
                if same:
                    codes[i] = code
                    break
            slot = (slot + 1) & (size - 1)
    return codes, first[:distinct]


@numba.njit(cache=True, nogil=True)
def line_bounds(buf):  # type: ignore[no-untyped-def]
    """(start, end, line number) of each line of ``buf`` holding more than white space;
    lines end at ``\\n``, ``\\r\\n`` or ``\\r`` and are numbered from 1, as by
    ``bytes.splitlines``."""
    n = len(buf)
    breaks = 0
    for i in range(n):
        breaks += buf[i] == 10 or buf[i] == 13
    starts = np.empty(breaks + 1, dtype=np.int64)
    ends = np.empty(breaks + 1, dtype=np.int64)
    numbers = np.empty(breaks + 1, dtype=np.int64)
    i = 0
    line = 0
    k = 0
    while i < n:
        start = i
        while i < n and buf[i] != 10 and buf[i] != 13:
            i += 1
        line += 1
        j = start
        while j < i and (buf[j] == 32 or 9 <= buf[j] <= 13):
            j += 1
        if j < i:
            starts[k], ends[k], numbers[k] = start, i, line
            k += 1
        if i < n:
            i += 2 if buf[i] == 13 and i + 1 < n and buf[i + 1] == 10 else 1
    return starts[:k], ends[:k], numbers[:k]


@numba.njit(cache=True, nogil=True)
def not_blank(buf, starts, ends):  # type: ignore[no-untyped-def]
    """Per line ``[starts[i], ends[i])``: whether it holds more than white space."""
    out = np.zeros(len(starts), dtype=np.bool_)
    for k in range(len(starts)):
        j = starts[k]
        while j < ends[k] and (buf[j] == 32 or 9 <= buf[j] <= 13):
            j += 1
        out[k] = j < ends[k]
    return out


@numba.njit(cache=True)
def utf8_valid(buf, i, end):  # type: ignore[no-untyped-def]
    """Whether bytes ``[i, end)`` are strict UTF-8 (no surrogates, overlongs, > U+10FFFF)."""
    while i < end:
        c = buf[i]
        if c < 0x80:
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            more, low, high = 1, 0x80, 0xBF
        elif c == 0xE0:
            more, low, high = 2, 0xA0, 0xBF
        elif c == 0xED:
            more, low, high = 2, 0x80, 0x9F
        elif 0xE1 <= c <= 0xEF:
            more, low, high = 2, 0x80, 0xBF
        elif c == 0xF0:
            more, low, high = 3, 0x90, 0xBF
        elif 0xF1 <= c <= 0xF3:
            more, low, high = 3, 0x80, 0xBF
        elif c == 0xF4:
            more, low, high = 3, 0x80, 0x8F
        else:
            return False
        if i + more >= end:
            return False
        if not low <= buf[i + 1] <= high:
            return False
        for k in range(2, more + 1):
            if not 0x80 <= buf[i + k] <= 0xBF:
                return False
        i += more + 1
    return True
