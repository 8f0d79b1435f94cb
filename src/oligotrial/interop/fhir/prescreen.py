"""Pre-screen a hospital population: partial screening records from the EHR, one engine.

For every patient with an HCC diagnosis in the export, the evidence becomes a partial
screening record (:func:`.evidence.to_record`); the resources it rests on are validated
with fhir.resources (an invalid one supplies nothing and is reported); the record is
validated like any other (a datum that contradicts another, e.g. a therapy start before
the diagnosis, is left out and reported) and screened by the one eligibility engine
(:func:`oligotrial.eligibility.evaluate`). A patient no criterion rules out is a
candidate; candidates are ranked by the number of record fields left to check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oligotrial.eligibility import ScreeningResult, check_protocol, evaluate, record_from_data
from oligotrial.errors import InputError
from oligotrial.interop.fhir.evidence import Evidence, Provenance, Source, to_record
from oligotrial.interop.fhir.fhir_types import validate_resource
from oligotrial.interop.fhir.mapping import FhirMapping, load_mapping
from oligotrial.interop.fhir.reader import Export, Problem, Progress, read_export
from oligotrial.protocol import Protocol


@dataclass(frozen=True)
class PatientResult:
    """One pre-screened patient: the engine's result and where each field came from."""

    patient_id: str
    site: str
    result: ScreeningResult | None  # None: not screened (see ``reason``)
    provenance: Provenance
    record: dict[str, Any]
    reason: str = ""

    @property
    def candidate(self) -> bool:
        return self.result is not None and self.result.overall != "ineligible"

    @property
    def to_check(self) -> tuple[str, ...]:
        return () if self.result is None else self.result.missing


@dataclass
class Prescreen:
    screening_date: dt.date
    export: Export
    results: list[PatientResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # validation and record problems

    def candidates(self, site: str | None = None) -> list[PatientResult]:
        """Candidates (no criterion failed), fewest fields left to check first."""
        found = [r for r in self.results if r.candidate and (site is None or r.site == site)]
        return sorted(found, key=lambda r: (len(r.to_check), r.patient_id))

    def excluded(self, site: str | None = None) -> list[PatientResult]:
        return sorted(
            (r for r in self.results if not r.candidate and (site is None or r.site == site)),
            key=lambda r: r.patient_id,
        )

    @property
    def sites(self) -> list[str]:
        return sorted({r.site for r in self.results})


def _drop(record: dict[str, Any], path: str) -> None:
    node: Any = record
    *parents, last = path.split(".")
    for part in parents:
        node = node.get(part, {})
    node.pop(last, None)


def _owner(prov: Provenance, field_path: str) -> str | None:
    """The record field (a provenance key) that the problem at ``field_path`` lies in."""
    keys = [k for k in prov if field_path == k or field_path.startswith(k + ".")]
    return max(keys, key=len) if keys else None


class _Screen:
    def __init__(self, protocol: Protocol, mapping: FhirMapping, day: dt.date, out: Prescreen):
        self.protocol, self.mapping, self.day, self.out = protocol, mapping, day, out
        self.invalid: dict[str, str | None] = {}  # resource ref -> problem (None: valid)

    def _valid(self, source: Source) -> bool:
        if source.ref not in self.invalid:
            problem = validate_resource(source.raw, source.ref.split("/", 1)[0])
            self.invalid[source.ref] = problem
            if problem is not None:
                self.out.problems.append(
                    Problem(source.file, source.line, f"{source.ref}: {problem}")
                )
        return self.invalid[source.ref] is None

    def patient(self, ev: Evidence) -> PatientResult:
        site = ev.site or "(no site)"
        record, prov = to_record(ev, self.day, self.mapping.regimen_window_days)
        for path, sources in list(prov.items()):
            if not all(self._valid(s) for s in sources):
                _drop(record, path)
                del prov[path]
        if ev.deceased:
            return PatientResult(
                ev.patient_id, site, None, prov, record, "deceased (Patient.deceased)"
            )
        for _ in range(len(prov) + 1):
            try:
                checked = record_from_data(record, as_of=self.day)
            except InputError as exc:
                owner = _owner(prov, exc.field)
                source = prov.get(owner or "", [ev.patient_source] if ev.patient_source else [])
                where = source[0] if source else Source(f"Patient/{ev.patient_id}", "", 0)
                self.out.problems.append(
                    Problem(where.file, where.line, f"{where.ref}: {exc} (left out)")
                )
                if owner is None:
                    return PatientResult(ev.patient_id, site, None, prov, record, str(exc))
                _drop(record, owner)
                del prov[owner]
                continue
            result = evaluate(self.protocol, checked, checked=True)
            return PatientResult(ev.patient_id, site, result, prov, record)
        return PatientResult(ev.patient_id, site, None, prov, record, "record not valid")


def prescreen(
    directory: Path,
    protocol: Protocol,
    screening_date: dt.date,
    *,
    mapping: FhirMapping | None = None,
    progress: Progress | None = None,
    screening: Callable[[int], None] | None = None,
    each: Callable[[], None] | None = None,
) -> Prescreen:
    """Read the export in ``directory`` and screen its HCC population on ``screening_date``.

    ``progress(bytes)`` is called as the files are read, ``screening(n)`` once the
    population (``n`` patients) is known, ``each()`` after each patient is screened."""
    check_protocol(protocol)
    table = mapping or load_mapping()
    export = read_export(directory, table, screening_date, progress)
    return screen_export(export, protocol, table, screening_date, screening, each)


def screen_export(
    export: Export,
    protocol: Protocol,
    mapping: FhirMapping,
    screening_date: dt.date,
    screening: Callable[[int], None] | None = None,
    each: Callable[[], None] | None = None,
) -> Prescreen:
    """Screen the HCC population of an export already read (the whole, or a partition)."""
    out = Prescreen(screening_date, export)
    screen = _Screen(protocol, mapping, screening_date, out)
    population = export.population
    if screening is not None:
        screening(len(population))
    for ev in population:
        out.results.append(screen.patient(ev))
        if each is not None:
            each()
    out.problems.sort(key=lambda p: (p.file, p.line))
    return out
