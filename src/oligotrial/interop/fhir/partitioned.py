"""The pre-screening partitioned by patient over a Dask cluster (a region's hospitals).

A Bulk FHIR export is split by resource type, so a patient's resources lie in every file.
A first pass (one task per file) sends each line to the partition of its patient: the
CRC-32 of the patient id (a Patient's ``id``, another resource's ``subject``) modulo the
number of partitions; a line without a patient (malformed, of an unknown type, without a
subject) goes to partition 0, where it is reported as in the plain run. Each partition is
then read and screened by the plain code (:class:`.reader.Reader`,
:func:`.prescreen.screen_export`) with the original file names and line numbers, and the
partitions are joined: the files written are exactly those of the plain run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from oligotrial.eligibility import check_protocol
from oligotrial.interop.fhir.evidence import Evidence
from oligotrial.interop.fhir.mapping import FhirMapping, load_mapping
from oligotrial.interop.fhir.prescreen import PatientResult, Prescreen, screen_export
from oligotrial.interop.fhir.reader import (
    Export,
    Reader,
    bulk_files,
    numbered_lines,
    passes,
)
from oligotrial.protocol import Protocol

# One file's share of a partition: the line numbers and the lines.
Share = tuple[list[int], list[bytes]]


class _Key(msgspec.Struct):
    resourceType: Any = None
    id: Any = None
    subject: Any = None


def _patient_of(line: bytes, decoder: msgspec.json.Decoder[_Key]) -> str | None:
    try:
        head = decoder.decode(line)
    except msgspec.DecodeError:
        return None
    if head.resourceType == "Patient":
        return head.id if isinstance(head.id, str) else None
    ref = head.subject.get("reference") if isinstance(head.subject, dict) else None
    if isinstance(ref, str) and ref.startswith("Patient/"):
        return ref[len("Patient/") :]
    return None


def split_file(path: str, parts: int) -> list[Share]:
    """The lines of one NDJSON file, by the partition of their patient."""
    decoder = msgspec.json.Decoder(_Key)
    shares: list[Share] = [([], []) for _ in range(parts)]
    for number, line in numbered_lines(Path(path), None):
        if not line.strip():
            continue
        pid = _patient_of(line, decoder)
        k = 0 if pid is None else zlib.crc32(pid.encode()) % parts
        shares[k][0].append(number)
        shares[k][1].append(line)
    return shares


def _light(result: PatientResult) -> PatientResult:
    """The result without the resources' text (validated already; only refs are written)."""
    prov = {k: [dataclasses.replace(s, raw=b"") for s in v] for k, v in result.provenance.items()}
    return dataclasses.replace(result, provenance=prov)


def screen_partition(
    names: list[tuple[str, bool]],
    shares: list[Share],
    protocol: Protocol,
    mapping: FhirMapping,
    screening_date: dt.date,
) -> Prescreen:
    """Read one partition (each file's share, in reading order, with the file's name and
    whether only the population's resources are decoded) and screen its population; the
    export returned keeps only the patients' ids."""
    reader = Reader(mapping, screening_date, None)
    for (name, population), (numbers, lines) in zip(names, shares, strict=True):
        reader.read_lines(name, zip(numbers, lines, strict=True), None, population)
    reader.out.unknown_codes = reader.collect.unknown
    found = screen_export(reader.out, protocol, mapping, screening_date)
    found.results = [_light(r) for r in found.results]
    found.export.patients = {pid: Evidence(pid) for pid in found.export.patients}
    return found


def join(parts: list[Prescreen], screening_date: dt.date) -> Prescreen:
    """One pre-screening from the partitions' (problems in file and line order)."""
    export = Export()
    out = Prescreen(screening_date, export)
    for part in parts:
        export.patients.update(part.export.patients)
        export.resources.update(part.export.resources)
        export.not_read.update(part.export.not_read)
        export.problems.extend(part.export.problems)
        export.unknown_codes.update(part.export.unknown_codes)
        out.results.extend(part.results)
        out.problems.extend(part.problems)
    export.problems.sort(key=lambda p: (p.file, p.line))
    out.problems.sort(key=lambda p: (p.file, p.line))
    return out


def prescreen_distributed(
    directory: Path,
    protocol: Protocol,
    screening_date: dt.date,
    client: Any,
    *,
    partitions: int | None = None,
    mapping: FhirMapping | None = None,
    done: Callable[[str], None] | None = None,
) -> Prescreen:
    """:func:`.prescreen.prescreen` over the Dask ``client``'s cluster, in ``partitions``
    partitions by patient (default: twice the workers). ``done(step)`` is called as each
    file is split (``"split"``) and each partition screened (``"screened"``)."""
    from distributed import as_completed

    check_protocol(protocol)
    table = mapping or load_mapping()
    files = bulk_files(directory)
    parts = partitions or max(1, 2 * len(client.scheduler_info()["workers"]))
    first, second, rest = passes(files)
    ordered = [(f, False) for f in first + second] + [(f, True) for f in rest]
    split = [client.submit(split_file, str(f), parts, pure=False) for f, _ in ordered]
    for _ in as_completed(split):  # type: ignore[no-untyped-call]
        if done is not None:
            done("split")
    names = [(f.name, population) for f, population in ordered]
    screened = []
    for k in range(parts):
        # one file's share of partition k stays where it was split until it is screened
        shares = [client.submit(operator.getitem, s, k, pure=False) for s in split]
        screened.append(
            client.submit(
                screen_partition, names, shares, protocol, table, screening_date, pure=False
            )
        )
    results: dict[int, Prescreen] = {}
    for future in as_completed(screened):  # type: ignore[no-untyped-call]
        results[screened.index(future)] = future.result()
        if done is not None:
            done("screened")
    return join([results[k] for k in range(parts)], screening_date)


__all__ = ["join", "prescreen_distributed", "screen_partition", "split_file"]
