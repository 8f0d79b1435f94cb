"""One patient's FHIR Bundle (e.g. from ``Patient/$everything``) into a partial screening
record, with the source resource of every field: the same mapping, reading rules and
fhir.resources validation as the population pre-screening (:mod:`.prescreen`).

The record is not validated here: the coordinator completes it in a screening draft and
submits it as usual (the submission validates the whole record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import msgspec

from oligotrial.errors import InputError
from oligotrial.interop.fhir import bulk_types as t
from oligotrial.interop.fhir.collect import Collector, day_of
from oligotrial.interop.fhir.evidence import Evidence, Source, to_record
from oligotrial.interop.fhir.fhir_types import is_fhir_type, validate_resource
from oligotrial.interop.fhir.mapping import FhirMapping, load_mapping


class _Entry(msgspec.Struct, frozen=True):
    resource: msgspec.Raw = msgspec.Raw(b"null")


class _Bundle(msgspec.Struct, frozen=True):
    resourceType: str | None = None
    entry: list[_Entry] = []


@dataclass(frozen=True)
class BundleImport:
    """The partial record (JSON form), where each field came from, and what was not used."""

    record: dict[str, Any]
    sources: dict[str, list[str]]  # record field -> resource references
    problems: list[str] = field(default_factory=list)  # "entry N: problem"


def _patient(p: t.Patient, ev: Evidence, src: Source) -> None:
    org = p.managingOrganization.reference if p.managingOrganization else None
    ev.site = org.rsplit("/", 1)[-1] if org else None
    ev.sex = p.gender if p.gender in ("female", "male") else None
    ev.birth_date = day_of(p.birthDate)
    ev.patient_source = src


def read_bundle(
    data: bytes | str,
    screening_number: str,
    screening_date: dt.date,
    *,
    mapping: FhirMapping | None = None,
) -> BundleImport:
    """Read one patient's Bundle; raise :class:`InputError` if it is not a Bundle."""
    try:
        bundle = msgspec.json.decode(data, type=_Bundle)
    except msgspec.DecodeError as exc:
        raise InputError("bundle", f"not a FHIR Bundle in JSON ({exc})") from None
    if bundle.resourceType != "Bundle":
        raise InputError("bundle.resourceType", f"expected 'Bundle', got {bundle.resourceType!r}")
    table = mapping or load_mapping()
    collect = Collector(table, screening_date)
    handlers = {
        t.Condition: collect.condition,
        t.Observation: collect.observation,
        t.MedicationRequest: collect.medication,
        t.MedicationStatement: collect.medication,
        t.Procedure: collect.procedure,
        t.DiagnosticReport: collect.report,
    }
    decode = msgspec.json.Decoder(t.Resource).decode
    ev = Evidence(patient_id=screening_number)
    problems: list[str] = []
    patients: set[str] = set()
    for number, entry in enumerate(bundle.entry):
        raw = bytes(entry.resource)
        where = f"entry {number}"
        try:
            header = msgspec.json.decode(raw, type=t.Header | None)
        except msgspec.ValidationError:
            problems.append(f"{where}: the resource is not a JSON object")
            continue
        kind = header.resourceType if header is not None else None
        if kind not in t.READ_TYPES:
            if kind is not None and not is_fhir_type(kind):
                problems.append(f"{where}: unknown resource type {kind!r}")
            continue
        try:
            res = decode(raw)
        except msgspec.ValidationError as exc:
            problems.append(f"{where}: invalid resource ({exc})")
            continue
        ref = f"{kind}/{res.id}"
        invalid = validate_resource(raw, kind)
        if invalid is not None:
            problems.append(f"{where}: {ref}: {invalid}")
            continue
        source = Source(ref, "bundle", number, raw)
        if isinstance(res, t.Patient):
            patients.add(res.id or "")
            _patient(res, ev, source)
            continue
        found = handlers[type(res)](res, ev, source)  # type: ignore[operator]
        if found is not None:
            problems.append(f"{where}: {ref}: {found}")
    if len(patients) > 1:
        raise InputError("bundle", f"holds {len(patients)} patients; import one at a time")
    record, provenance = to_record(ev, screening_date, table.regimen_window_days)
    sources = {path: [s.ref for s in found] for path, found in provenance.items()}
    return BundleImport(record, sources, problems)
