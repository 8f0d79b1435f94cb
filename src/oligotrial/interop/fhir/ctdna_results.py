"""A laboratory's ctDNA results in a FHIR R4 Bundle, read into one result per sample.

Read from the Bundle: Observations whose code the table (:mod:`.ctdna_table`) maps to a
field of the result (ctDNA detected, mean or maximum VAF, tumour fraction), the Genomics
Reporting IG's variant Observations (LOINC 69548-6: gene, c. or p. HGVS, sample VAF), the
MolecularSequence a variant is derived from, and the Patient and Specimen they reference
(literally, within the Bundle, or logically by identifier). The patient is named by the
screening number, the sample by its tube label, both as identifiers of the table's systems.

Each resource is validated with fhir.resources (R4B) before any datum of it is used.
Nothing is guessed: an unknown code, a unit the table does not allow, a value that is not
finite or lies outside 0-100 %, a result without a specimen or patient, a specimen of
another patient, two results for one field of a sample, a maximum VAF below the mean or
"not detected" with a VAF above zero is a :class:`Problem` naming the resource, the
element's path and what is wrong. Values are returned in percent, with the resources
behind each field (``Observation/o1``, ``/_history/2`` appended when the resource has a
version).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from oligotrial.errors import InputError
from oligotrial.exploratory.results_file import Mutation
from oligotrial.interop.fhir.ctdna_table import Coding, CtdnaTable, load_table

READ = ("Patient", "Specimen", "Observation", "MolecularSequence")
UCUM = "http://unitsofmeasure.org"


@dataclass(frozen=True)
class Problem:
    resource: str  # Observation/o1 (or the entry's fullUrl, or "entry 3")
    path: str  # the element at fault, e.g. valueQuantity.code
    message: str

    def __str__(self) -> str:
        return (
            f"{self.resource} {self.path}: {self.message}"
            if self.path
            else (f"{self.resource}: {self.message}")
        )


@dataclass
class SampleFromFhir:
    """One sample's result as the Bundle gives it; ``sources``: field -> resources."""

    patient: str  # screening number
    sample: str  # tube label
    ctdna_detected: bool | None = None
    mean_vaf_percent: float | None = None
    max_vaf_percent: float | None = None
    tumour_fraction_percent: float | None = None
    mutations: list[Mutation] = field(default_factory=list)
    sources: dict[str, list[str]] = field(default_factory=dict)
    #: an Observation of it is ``amended`` or ``corrected``: the laboratory changed a result
    #: it had released (FHIR R4 ObservationStatus)
    corrects: bool = False


class _Bad(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: str
    model: Any
    full_url: str


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _entries(bundle: Any, problems: list[Problem]) -> Iterator[_Entry]:
    from fhir.resources.R4B import get_fhir_model_class

    for number, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        full_url = str(entry.get("fullUrl") or "") if isinstance(entry, dict) else ""
        if not isinstance(resource, dict):
            problems.append(Problem(f"entry {number}", "resource", "is not a FHIR resource"))
            continue
        kind = str(resource.get("resourceType") or "")
        rid = resource.get("id")
        name = f"{kind}/{rid}" if rid else (full_url or f"entry {number} ({kind})")
        version = (resource.get("meta") or {}).get("versionId")
        if rid and version:
            name += f"/_history/{version}"
        if kind not in READ:
            continue
        if not rid and not full_url:
            problems.append(Problem(name, "id", "is required (the result keeps its source)"))
            continue
        try:
            model = get_fhir_model_class(kind).model_validate(resource)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            problems.append(
                Problem(name, _path(tuple(err["loc"])), f"not valid FHIR: {err['msg']}")
            )
            continue
        yield _Entry(name, kind, model, full_url)


def _codings(concept: Any) -> list[Coding]:
    return [(c.system or "", c.code or "") for c in (concept.coding or [])] if concept else []


def _identified(identifiers: Any, system: str) -> str | None:
    for i in identifiers or []:
        if i is not None and i.system == system and i.value:
            return str(i.value)
    return None


class _Reader:
    def __init__(self, table: CtdnaTable, entries: list[_Entry]) -> None:
        self.table = table
        self.by_ref: dict[str, _Entry] = {}
        for e in entries:
            self.by_ref[f"{e.kind}/{e.model.id}"] = e
            if e.full_url:
                self.by_ref[e.full_url] = e

    def resolve(self, ref: Any, kind: str, path: str, system: str, what: str) -> str:
        """The identifier of ``system`` a reference names (literal within the Bundle, or
        logical); ``_Bad`` when it names none."""
        if ref is None:
            raise _Bad(path, f"is required (the {what})")
        if ref.identifier is not None:
            if ref.identifier.system == system and ref.identifier.value:
                return str(ref.identifier.value)
            raise _Bad(f"{path}.identifier", f"is not of the system {system} (the {what})")
        target = self.by_ref.get(ref.reference or "")
        if target is None or target.kind != kind:
            raise _Bad(f"{path}.reference", f"{ref.reference!r} is no {kind} of this Bundle")
        identifiers = list(target.model.identifier or [])
        if kind == "Specimen" and target.model.accessionIdentifier is not None:
            identifiers.append(target.model.accessionIdentifier)
        found = _identified(identifiers, system)
        if found is None:
            raise _Bad(path, f"{target.name} has no identifier of the system {system} ({what})")
        return found

    def patient(self, ref: Any, path: str) -> str:
        return self.resolve(ref, "Patient", path, self.table.patient_system, "screening number")

    def specimen(self, ref: Any, path: str, patient: str) -> str:
        label = self.resolve(ref, "Specimen", path, self.table.specimen_system, "tube label")
        target = self.by_ref.get(ref.reference or "")
        if target is not None and target.model.subject is not None:
            owner = self.patient(target.model.subject, f"{path} -> {target.name}.subject")
            if owner != patient:
                raise _Bad(path, f"the specimen {label} is patient {owner}'s, not {patient}'s")
        return label

    def percent(self, quantity: Any, path: str) -> float:
        if quantity is None or quantity.value is None:
            raise _Bad(path, "a value with a unit is required")
        value = float(quantity.value)
        if not math.isfinite(value):
            raise _Bad(f"{path}.value", f"{quantity.value} is not a finite number")
        if quantity.system != UCUM or quantity.code not in self.table.units:
            allowed = ", ".join(repr(u) for u in self.table.units)
            shown = quantity.code or quantity.unit
            raise _Bad(f"{path}.code", f"the unit {shown!r} is not allowed (UCUM {allowed})")
        percent = value * self.table.units[quantity.code]
        if not 0.0 <= percent <= 100.0:
            raise _Bad(f"{path}.value", f"{percent:g} % is impossible (it lies within 0-100 %)")
        return percent

    def detected(self, obs: Any) -> bool:
        if obs.valueBoolean is not None:
            return bool(obs.valueBoolean)
        codings = set(_codings(obs.valueCodeableConcept))
        if codings & self.table.detected:
            return True
        if codings & self.table.not_detected:
            return False
        raise _Bad("valueCodeableConcept", "is neither a 'detected' nor a 'not detected' answer")

    def variant(self, obs: Any) -> Mutation:
        parts: dict[str, tuple[int, Any]] = {}
        wanted = {coding: part for part, coding in self.table.variant.items() if part != "code"}
        for k, comp in enumerate(obs.component or []):
            for coding in _codings(comp.code):
                if coding in wanted:
                    parts[wanted[coding]] = (k, comp)
        if "gene" not in parts:
            raise _Bad("component", "has no gene studied (LOINC 48018-6)")
        k, gene = parts["gene"]
        concept = gene.valueCodeableConcept
        symbol = (
            next((c.display for c in (concept.coding or []) if c.display), None)
            if concept
            else None
        )
        symbol = symbol or (concept.text if concept else None)
        if not symbol:
            raise _Bad(f"component[{k}].valueCodeableConcept", "names no gene symbol")
        hgvs = None
        for part in ("protein_change", "dna_change"):
            if part in parts and hgvs is None:
                k, comp = parts[part]
                concept = comp.valueCodeableConcept
                codes = [c.code for c in (concept.coding or []) if c.code] if concept else []
                hgvs = (codes[0] if codes else None) or (concept.text if concept else None)
        if not hgvs:
            raise _Bad("component", "has no DNA or amino acid change (LOINC 48004-6, 48005-3)")
        if len(hgvs) > 120 or len(symbol) > 32:
            raise _Bad("component", "a gene symbol or HGVS expression too long to store")
        if "vaf" not in parts:
            raise _Bad("component", "has no sample variant allele frequency (LOINC 81258-6)")
        k, vaf = parts["vaf"]
        return Mutation(
            symbol.upper(), hgvs, self.percent(vaf.valueQuantity, f"component[{k}].valueQuantity")
        )

    def derived_from(self, obs: Any, patient: str, label: str) -> list[str]:
        """The MolecularSequences a variant is derived from, checked to be of its sample."""
        names = []
        for k, ref in enumerate(obs.derivedFrom or []):
            target = self.by_ref.get(ref.reference or "")
            if target is None or target.kind != "MolecularSequence":
                continue
            seq = target.model
            if (
                seq.patient is not None
                and self.patient(seq.patient, f"derivedFrom[{k}] -> {target.name}.patient")
                != patient
            ):
                raise _Bad(f"derivedFrom[{k}]", f"{target.name} is of another patient")
            if seq.specimen is not None:
                other = self.resolve(
                    seq.specimen,
                    "Specimen",
                    f"derivedFrom[{k}] -> {target.name}.specimen",
                    self.table.specimen_system,
                    "tube label",
                )
                if other != label:
                    raise _Bad(
                        f"derivedFrom[{k}]",
                        f"{target.name} is of the specimen {other}, not {label}",
                    )
            names.append(target.name)
        return names


def _observation(r: _Reader, e: _Entry, samples: dict[str, SampleFromFhir]) -> None:
    obs, table = e.model, r.table
    if obs.status not in table.statuses:
        raise _Bad(
            "status",
            f"{obs.status!r}: only {', '.join(sorted(table.statuses))} results are imported",
        )
    codings = _codings(obs.code)
    is_variant = table.variant["code"] in codings
    fields = [table.observations[c] for c in codings if c in table.observations]
    if not is_variant and not fields:
        shown = ", ".join(f"{s}|{c}" for s, c in codings) or "none"
        raise _Bad("code", f"no coding is a ctDNA result of the table ({shown})")
    patient = r.patient(obs.subject, "subject")
    label = r.specimen(obs.specimen, "specimen", patient)
    found = samples.setdefault(label, SampleFromFhir(patient, label))
    if found.patient != patient:
        raise _Bad("specimen", f"the specimen {label} is also given for patient {found.patient}")
    found.corrects = found.corrects or obs.status in ("amended", "corrected")
    if is_variant:
        mutation = r.variant(obs)
        names = [e.name, *r.derived_from(obs, patient, label)]
        found.mutations.append(mutation)
        found.sources.setdefault("mutations", []).append(" ".join(names))
        return
    name = fields[0]
    if found.sources.get(name):
        raise _Bad(
            "code", f"a second {name} for the sample {label} (first: {found.sources[name][0]})"
        )
    if name == "ctdna_detected":
        found.ctdna_detected = r.detected(obs)
    else:
        value = r.percent(obs.valueQuantity, "valueQuantity")
        setattr(found, f"{name}_percent", value)
    found.sources[name] = [e.name]


def _consistent(found: SampleFromFhir) -> Problem | None:
    mean, top = found.mean_vaf_percent, found.max_vaf_percent
    if mean is not None and top is not None and top < mean:
        return Problem(
            found.sources["max_vaf"][0],
            "valueQuantity.value",
            f"{top:g} % is below the mean VAF {mean:g} %",
        )
    if found.ctdna_detected is False and any(v for v in (mean, top)):
        return Problem(
            found.sources["ctdna_detected"][0],
            "value[x]",
            "'not detected' but a VAF above zero is given",
        )
    return None


def read_ctdna_bundle(
    text: str | bytes, *, table: CtdnaTable | None = None
) -> tuple[list[SampleFromFhir], list[Problem]]:
    """The samples' results in a Bundle and the problems of the resources that could not be
    read; :class:`InputError` if the text is not a FHIR Bundle in JSON."""
    try:
        bundle = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError("bundle", f"not JSON ({exc})") from None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise InputError("bundle.resourceType", "expected a FHIR Bundle")
    if not isinstance(bundle.get("entry", []), list):
        raise InputError("bundle.entry", "is not a list of entries")
    problems: list[Problem] = []
    entries = list(_entries(bundle, problems))
    reader = _Reader(table or load_table(), entries)
    samples: dict[str, SampleFromFhir] = {}
    for e in entries:
        if e.kind != "Observation":
            continue
        try:
            _observation(reader, e, samples)
        except _Bad as bad:
            problems.append(Problem(e.name, bad.path, bad.message))
    for found in samples.values():
        problem = _consistent(found)
        if problem is not None:
            problems.append(problem)
    return list(samples.values()), problems
