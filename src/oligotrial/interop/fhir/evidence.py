"""What the EHR says about one patient, gathered resource by resource, with provenance.

Each datum keeps the resource it came from (``Type/id``, file and line), so every field of
the screening record built from it (:func:`to_record`) names its source. Of repeated
data the latest dated one on or before the screening date wins (labs, ECOG, HBsAg,
pregnancy); history entries (other malignancies, transplants, radiotherapy) accumulate.
Absence is never evidence: a field the export does not hold stays unknown (``None``), and
the eligibility engine answers *cannot tell* for the criteria that need it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a datum came from: the resource, and the file and line it was read from."""

    ref: str  # "Observation/obs-1"
    file: str
    line: int
    raw: bytes = b""  # the resource as exported, for validation of what is imported


@dataclass(frozen=True)
class Dated:
    day: dt.date
    value: Any
    source: Source


@dataclass
class Evidence:
    """Everything read for one patient."""

    patient_id: str
    site: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    deceased: bool = False
    patient_source: Source | None = None
    hcc: list[Dated] = field(default_factory=list)  # HCC diagnoses (Condition or report)
    latest: dict[str, Dated] = field(default_factory=dict)  # field path -> latest datum
    flags: dict[str, list[Source]] = field(default_factory=dict)  # path -> sources (True)
    malignancies: list[Dated] = field(default_factory=list)  # value: category
    radiotherapy: list[Dated] = field(default_factory=list)  # value: site in words
    drugs: list[Dated] = field(default_factory=list)  # value: (drug, ici)
    antivirals: list[Dated] = field(default_factory=list)
    pathology: list[Dated] = field(default_factory=list)  # value: (basis, histology)

    def keep_latest(self, path: str, datum: Dated) -> None:
        old = self.latest.get(path)
        if old is None or datum.day >= old.day:
            self.latest[path] = datum

    def flag(self, path: str, source: Source) -> None:
        self.flags.setdefault(path, []).append(source)


Provenance = dict[str, list[Source]]


def _set(record: dict[str, Any], path: str, value: Any) -> None:
    node = record
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _regimen(drugs: list[Dated], window_days: int) -> list[Dated]:
    """The drugs of the current regimen: the latest started and those started within
    ``window_days`` before it (the earliest of them starts the regimen)."""
    if not drugs:
        return []
    ordered = sorted(drugs, key=lambda d: d.day)
    current = [ordered[-1]]
    for datum in reversed(ordered[:-1]):
        if (current[-1].day - datum.day).days > window_days:
            break
        current.append(datum)
    return current


def to_record(
    ev: Evidence, screening_date: dt.date, window_days: int
) -> tuple[dict[str, Any], Provenance]:
    """The partial screening record (JSON form) and the sources of each of its fields."""
    record: dict[str, Any] = {"patient_id": ev.patient_id, "screening_date": str(screening_date)}
    prov: Provenance = {}

    def put(path: str, value: Any, *sources: Source) -> None:
        _set(record, path, value)
        prov[path] = list(sources)

    patient = (ev.patient_source,) if ev.patient_source else ()
    if ev.site is not None:
        put("site", ev.site, *patient)
    if ev.sex is not None:
        put("sex", ev.sex, *patient)
    if ev.birth_date is not None:
        put("birth_date", str(ev.birth_date), *patient)
    if ev.hcc:
        first = min(ev.hcc, key=lambda d: d.day)
        put("diagnosis.date", str(first.day), first.source)
    if ev.pathology:
        report = max(ev.pathology, key=lambda d: d.day)
        basis, histology = report.value
        put("diagnosis.basis", basis, report.source)
        if histology is not None:
            put("diagnosis.histology", histology, report.source)
    for path, datum in ev.latest.items():
        put(path, datum.value, datum.source)
    for path, sources in ev.flags.items():
        put(path, True, *sources)
    if ev.malignancies:
        put(
            "history.other_malignancies",
            [
                {"diagnosis": d.source.ref, "category": d.value, "diagnosis_date": str(d.day)}
                for d in ev.malignancies
            ],
            *(d.source for d in ev.malignancies),
        )
    if ev.radiotherapy:
        put(
            "history.prior_radiotherapy",
            [{"date": str(d.day), "site": d.value} for d in ev.radiotherapy],
            *(d.source for d in ev.radiotherapy),
        )
    regimen = _regimen(ev.drugs, window_days)
    if regimen:
        earliest: dict[str, Dated] = {}
        for d in sorted(regimen, key=lambda d: d.day):  # each drug's first order
            earliest.setdefault(d.value[0], d)
        names = sorted(earliest)
        sources = [earliest[name].source for name in names]
        put("flst.regimen", " + ".join(names), *sources)
        put("flst.contains_ici", any(d.value[1] for d in regimen), *sources)
        put("flst.start_date", str(min(d.day for d in regimen)), *sources)
    if ev.antivirals:
        put("hbv.on_antiviral", True, *(d.source for d in ev.antivirals))
    return record, prov
