"""Screen JSON Lines held in one buffer: the compiled decoder, column-wise facts and
rules, the general path for what the decoder declines, and several processes for a
large batch.

Records are screened in chunks of a few thousand (the decoder's columns are reused from
chunk to chunk). A batch of many records is cut into contiguous parts, one per process;
the processes are forked, so they read the parent's buffer without copying it, and send
back only the verdicts. The first line that is not JSON or not a valid record stops the
run naming it; with several parts, the earliest part's error is reported, as a single
process would.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import multiprocessing
import os
import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from oligotrial.eligibility.batch_result import BatchResult
from oligotrial.eligibility.column_facts import column_facts
from oligotrial.eligibility.column_rules import evaluate_columns
from oligotrial.eligibility.evaluate import fact_names
from oligotrial.eligibility.general_path import criteria, screen_general
from oligotrial.eligibility.json_columns import DecodedBatch, decoded_columns
from oligotrial.eligibility.json_kernel import decode
from oligotrial.eligibility.json_layout import record_layout
from oligotrial.eligibility.rules_check import check_protocol, derivation_settings
from oligotrial.protocol import Protocol

Ints = npt.NDArray[np.int64]

CHUNK = 8192  # records screened together: large enough for numpy, small enough for caches
PER_WORKER = 16384  # fewest records worth a process of their own
_SCRATCH = threading.local()  # the decoder's columns, reused by the next chunk
_WORK: tuple[Any, ...] = ()  # what forked workers inherit (see :func:`screen_buffer`)


def _screen_chunk(
    protocol: Protocol, buf: Any, starts: Ints, ends: Ints, numbers: Ints, day: dt.date
) -> BatchResult:
    layout = record_layout()
    decoded = decode(buf, starts, ends, layout, getattr(_SCRATCH, "decoded", None))
    _SCRATCH.decoded = decoded
    columns = decoded_columns(DecodedBatch(layout, buf, decoded), day)
    ids, kinds = criteria(protocol)
    facts = column_facts(columns, derivation_settings(protocol), fact_names(protocol))
    status, overall = evaluate_columns(protocol, facts, len(starts))
    patients = columns.text["patient_id"]
    odd = np.flatnonzero(columns.odd)
    if len(odd):
        spans = zip(starts[odd].tolist(), ends[odd].tolist(), strict=True)
        lines = [bytes(buf[s:e]) for s, e in spans]
        rest = screen_general(protocol, lines, day, numbers[odd].tolist())
        status[odd], overall[odd] = rest.status, rest.overall
        patients[odd] = rest.patient_ids
    return BatchResult(ids, kinds, tuple(patients.tolist()), status, overall)


def _screen_part(bounds: tuple[int, int]) -> BatchResult:
    protocol, buf, starts, ends, numbers, day = _WORK
    first, stop = bounds
    return BatchResult.joined(
        [
            _screen_chunk(
                protocol,
                buf,
                starts[k : min(k + CHUNK, stop)],
                ends[k : min(k + CHUNK, stop)],
                numbers[k : min(k + CHUNK, stop)],
                day,
            )
            for k in range(first, max(stop, first + 1), CHUNK)
        ]
    )


def default_workers(n: int) -> int:
    """Processes for ``n`` records: one per available core for a large batch, where the
    operating system can fork."""
    if n < 2 * PER_WORKER or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), n // PER_WORKER))


def screen_buffer(
    protocol: Protocol,
    data: bytes,
    starts: Ints,
    ends: Ints,
    numbers: Ints,
    day: dt.date,
    workers: int | None = None,
) -> BatchResult:
    """Screen the records at ``data[starts[i]:ends[i]]`` (line ``numbers[i]`` each) with
    ``workers`` processes (default :func:`default_workers`)."""
    global _WORK
    check_protocol(protocol)
    count = workers or default_workers(len(starts))
    buf = np.frombuffer(data, dtype=np.uint8)
    paused = gc.isenabled()
    gc.disable()  # a run creates few objects that live long: collecting would only cost
    _WORK = (protocol, buf, starts, ends, numbers, day)
    try:
        if count <= 1:
            return _screen_part((0, len(starts)))
        edges = np.linspace(0, len(starts), count + 1).astype(int).tolist()
        with multiprocessing.get_context("fork").Pool(count) as pool:
            # results (and errors) are taken part by part, so the earliest part's error wins
            parts = [pool.apply_async(_screen_part, (b,)) for b in itertools.pairwise(edges)]
            return BatchResult.joined([part.get() for part in parts])
    finally:
        _WORK = ()
        if paused:
            gc.enable()
