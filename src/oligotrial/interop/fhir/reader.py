"""Read a Bulk FHIR export (a directory of NDJSON files) into per-patient evidence.

Files are read in three passes so that the population is known before the bulk of the
data: Patient files first, then Condition and DiagnosticReport (an HCC diagnosis puts a
patient in the population), then everything else, where only the population's resources
are decoded fully (every line is still parsed, and checked). A bad line never stops the
run: a truncated or malformed line, a resource of an unknown type, a wrong unit, a
reference to a patient the export does not hold are each reported with file and line,
and the rest is processed. Resource types that exist in FHIR but are not read are counted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from oligotrial.errors import InputError
from oligotrial.interop.fhir import bulk_types as t
from oligotrial.interop.fhir.collect import Collector, day_of
from oligotrial.interop.fhir.evidence import Evidence, Source
from oligotrial.interop.fhir.fhir_types import is_fhir_type
from oligotrial.interop.fhir.mapping import FhirMapping

Progress = Callable[[int], None]
_FIRST = ("Patient",)
_SECOND = ("Condition", "DiagnosticReport")
_CHUNK = 1 << 22  # bytes read at a time


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    problem: str


class Light(msgspec.Struct, frozen=True):
    resourceType: str | None = None
    subject: t.Reference | None = None


@dataclass
class Export:
    """What was read: evidence per patient, counts and problems."""

    patients: dict[str, Evidence] = field(default_factory=dict)
    resources: Counter[str] = field(default_factory=Counter)  # read, by type
    not_read: Counter[str] = field(default_factory=Counter)  # FHIR types not used
    problems: list[Problem] = field(default_factory=list)
    unknown_codes: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    @property
    def population(self) -> list[Evidence]:
        """Patients with an HCC diagnosis in the export."""
        return [ev for ev in self.patients.values() if ev.hcc]


def numbered_lines(path: Path, progress: Progress | None) -> Iterator[tuple[int, bytes]]:
    number = 0
    with path.open("rb") as f:
        while True:
            chunk = f.readlines(_CHUNK)
            if not chunk:
                return
            for line in chunk:
                number += 1
                yield number, line
            if progress is not None:
                progress(sum(map(len, chunk)))


def file_type(path: Path) -> str:
    return path.name.split(".", 1)[0].split("-", 1)[0]


def patient_id(ref: t.Reference | None) -> str | None:
    text = None if ref is None else ref.reference
    if text is None or not text.startswith("Patient/"):
        return None
    return text[len("Patient/") :]


class Reader:
    def __init__(self, mapping: FhirMapping, screening_date: dt.date, progress: Progress | None):
        self.out = Export()
        self.collect = Collector(mapping, screening_date)
        self.progress = progress
        self.full = msgspec.json.Decoder(t.Resource)
        self.light = msgspec.json.Decoder(Light)
        self.patient = msgspec.json.Decoder(t.Patient)
        self.handlers: dict[str, Callable[[Any, Evidence, Source], str | None]] = {
            "Condition": self.collect.condition,
            "Observation": self.collect.observation,
            "MedicationRequest": self.collect.medication,
            "MedicationStatement": self.collect.medication,
            "Procedure": self.collect.procedure,
            "DiagnosticReport": self.collect.report,
        }

    def problem(self, file: str, line: int, text: str) -> None:
        self.out.problems.append(Problem(file, line, text))

    def read_file(self, path: Path, types: tuple[str, ...] | None, population: bool) -> None:
        """Read the lines of ``types`` (all when None); others are left for another pass."""
        self.read_lines(path.name, numbered_lines(path, self.progress), types, population)

    def read_lines(
        self,
        name: str,
        lines: Iterable[tuple[int, bytes]],
        types: tuple[str, ...] | None,
        population: bool,
    ) -> None:
        """Read numbered lines of the file ``name`` (a whole file, or one partition of it)."""
        for number, line in lines:
            if not line.strip():
                continue
            try:
                head = self.light.decode(line)
            except msgspec.DecodeError as exc:
                self.problem(name, number, f"not a JSON resource ({exc})")
                continue
            kind = head.resourceType
            if kind is None:
                self.problem(name, number, "no resourceType")
                continue
            if kind not in t.READ_TYPES:
                if is_fhir_type(kind):
                    self.out.not_read[kind] += 1
                else:
                    self.problem(name, number, f"unknown resource type {kind!r}")
                continue
            if types is not None and kind not in types:
                continue
            if kind == "Patient":
                self._patient(name, number, line)
                continue
            pid = patient_id(head.subject)
            ev = self.out.patients.get(pid) if pid is not None else None
            if ev is None:
                ref = head.subject.reference if head.subject else None
                what = (
                    "no subject" if ref is None else f"subject {ref}: no such patient in the export"
                )
                self.problem(name, number, what)
                continue
            self.out.resources[kind] += 1
            if population and not ev.hcc:
                continue
            self._resource(name, number, line, ev)

    def _patient(self, name: str, number: int, line: bytes) -> None:
        try:
            p = self.patient.decode(line)
        except msgspec.ValidationError as exc:
            self.problem(name, number, f"Patient: {exc}")
            return
        if not p.id:
            self.problem(name, number, "Patient without an id")
            return
        if p.id in self.out.patients:
            self.problem(name, number, f"Patient/{p.id} given twice (first one kept)")
            return
        self.out.resources["Patient"] += 1
        org = p.managingOrganization.reference if p.managingOrganization else None
        sex = p.gender if p.gender in ("female", "male") else None
        self.out.patients[p.id] = Evidence(
            patient_id=p.id,
            site=org.rsplit("/", 1)[-1] if org else None,
            sex=sex,
            birth_date=day_of(p.birthDate),
            deceased=bool(p.deceasedBoolean or p.deceasedDateTime),
            patient_source=Source(f"Patient/{p.id}", name, number, line),
        )

    def _resource(self, name: str, number: int, line: bytes, ev: Evidence) -> None:
        try:
            res = self.full.decode(line)
        except msgspec.ValidationError as exc:
            self.problem(name, number, f"invalid resource ({exc})")
            return
        kind = type(res).__name__
        source = Source(f"{kind}/{res.id}", name, number, line)
        found = self.handlers[kind](res, ev, source)
        if found is not None:
            self.problem(name, number, f"{source.ref}: {found}")


def bulk_files(directory: Path) -> list[Path]:
    """The NDJSON files of an export, Patient files first (they define the patients)."""
    if not directory.is_dir():
        raise InputError(str(directory), "no such directory")
    files = sorted(directory.glob("*.ndjson"))
    if not files:
        raise InputError(str(directory), "no .ndjson files (expected a Bulk FHIR export)")
    return files


def passes(files: list[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """The files in the order they are read: Patient, then Condition and
    DiagnosticReport, then the rest (see the module's description)."""
    first = [f for f in files if file_type(f) in _FIRST]
    second = [f for f in files if file_type(f) in _SECOND]
    rest = [f for f in files if f not in first and f not in second]
    return first, second, rest


def read_export(
    directory: Path,
    mapping: FhirMapping,
    screening_date: dt.date,
    progress: Progress | None = None,
) -> Export:
    """Read every NDJSON file of ``directory`` (see the module's description)."""
    files = bulk_files(directory)
    reader = Reader(mapping, screening_date, progress)
    first, second, rest = passes(files)
    for path in first:
        reader.read_file(path, None, population=False)
    for path in second:
        reader.read_file(path, None, population=False)
    for path in rest:
        reader.read_file(path, None, population=True)
    reader.out.unknown_codes = reader.collect.unknown
    reader.out.problems.sort(key=lambda p: (p.file, p.line))
    return reader.out
