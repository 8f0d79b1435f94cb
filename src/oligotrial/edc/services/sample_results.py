"""Importing a laboratory's results file: each readable line of a known sample becomes its
result (audited; the sample becomes analysed), every other line is reported.

The file is read by :func:`oligotrial.exploratory.results_file.read_results` (units,
impossible VAFs, duplicates within the file); here each line is matched to its sample: an
unknown label, a sample recorded as missing, a sample that already has a result, or a
detection flag on a biopsy (or none on a ctDNA sample) is reported with its line number.
The valid lines are written together in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oligotrial.edc.models import (
    Biosample,
    CustodyEvent,
    Role,
    SampleMutation,
    SampleResult,
    SampleStatus,
    Staff,
)
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_role, require_unlocked
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_text
from oligotrial.exploratory.results_file import LineProblem, ResultLine, read_results

IMPORT_ROLES = frozenset({Role.DATA_MANAGER})


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[str, ...]  # sample labels
    problems: tuple[LineProblem, ...]


def _problem(line: ResultLine, sample: Biosample | None) -> LineProblem | None:
    def bad(field: str, message: str) -> LineProblem:
        return LineProblem(line.line, line.sample_id, field, message)

    if sample is None:
        return bad("sample_id", "no sample carries this label; nothing imported for it")
    if sample.status == SampleStatus.MISSING:
        return bad("sample_id", "the sample is recorded as missing")
    if hasattr(sample, "result"):
        return bad("sample_id", "the sample already has a result (duplicate)")
    if sample.kind == "ctdna" and line.ctdna_detected is None:
        return bad("ctdna_detected", "is required for a ctDNA sample")
    if sample.kind == "biopsy" and line.ctdna_detected is not None:
        return bad("ctdna_detected", "is for ctDNA samples; leave it blank for a biopsy")
    return None


def locked_samples(labels: list[str]) -> dict[str, Biosample]:
    """The samples of these labels by label, locked to the commit in one order (two imports
    never wait for each other in a circle), each with its patient and its result. The result
    is read after the lock is granted: joined to the locking read, PostgreSQL would give it
    as it was before the wait, and a result stored meanwhile would be missed."""
    rows = (
        Biosample.objects.select_for_update(of=("self",))
        .select_related("patient__site")
        .filter(identifier__in=labels)
        .order_by("pk")
    )
    locked = list(rows)
    results = {r.sample_id: r for r in SampleResult.objects.filter(sample__in=locked)}
    for sample in locked:
        if sample.pk in results:
            sample.result = results[sample.pk]
    return {s.identifier: s for s in locked}


def save_result(
    actor: Staff,
    line: ResultLine,
    sample: Biosample,
    source: str,
    fhir_sources: dict[str, list[str]] | None = None,
) -> None:
    """Store one sample's result and its mutations, mark the sample analysed and log the
    custody step, each audited: the one write path of every results import (CSV, FHIR)."""
    patient = sample.patient
    result = SampleResult.objects.create(
        sample=sample,
        ctdna_detected=line.ctdna_detected,
        mean_vaf_percent=line.mean_vaf_percent,
        max_vaf_percent=line.max_vaf_percent,
        tumour_fraction_percent=line.tumour_fraction_percent,
        source=source[:200],
        fhir_sources=fhir_sources or {},
    )
    audit.append(
        actor,
        "create",
        result,
        audit.changes_between(None, audit.snapshot(result)),
        patient=patient,
    )
    for m in line.mutations:
        mutation = SampleMutation.objects.create(
            result=result, gene=m.gene[:32], hgvs=m.hgvs[:120], vaf_percent=m.vaf_percent
        )
        audit.append(
            actor,
            "create",
            mutation,
            audit.changes_between(None, audit.snapshot(mutation)),
            patient=patient,
        )
    before = audit.snapshot(sample)
    sample.status = SampleStatus.ANALYSED
    sample.save(update_fields=["status"])
    audit.append(
        actor,
        "status",
        sample,
        audit.changes_between(before, audit.snapshot(sample)),
        patient=patient,
    )
    event = CustodyEvent.objects.create(
        sample=sample, event="analysed", on=dt.date.today(), recorded_by=actor, note=source[:200]
    )
    audit.append(
        actor, "create", event, audit.changes_between(None, audit.snapshot(event)), patient=patient
    )


def correct_result(
    actor: Staff,
    line: ResultLine,
    result: SampleResult,
    source: str,
    fhir_sources: dict[str, list[str]],
    reason: str,
) -> None:
    """Replace a stored result by the laboratory's corrected one, audited with ``reason``:
    the values that changed (one update entry), the mutations no longer reported (deleted)
    and the new ones (created), and a custody note; nothing when nothing changed."""
    patient = result.sample.patient
    before = audit.snapshot(result)
    result.ctdna_detected = line.ctdna_detected
    result.mean_vaf_percent = line.mean_vaf_percent
    result.max_vaf_percent = line.max_vaf_percent
    result.tumour_fraction_percent = line.tumour_fraction_percent
    result.source = source[:200]
    result.fhir_sources = fhir_sources
    change = audit.changes_between(before, audit.snapshot(result))
    if change:
        result.save()
        audit.append(actor, "update", result, change, reason=reason, patient=patient)
    wanted = [(m.gene[:32], m.hgvs[:120], m.vaf_percent) for m in line.mutations]
    for mutation in result.mutations.all():
        key = (mutation.gene, mutation.hgvs, mutation.vaf_percent)
        if key in wanted:
            wanted.remove(key)
            continue
        gone = audit.changes_between(audit.snapshot(mutation), None)
        audit.append(actor, "delete", mutation, gone, reason=reason, patient=patient)
        mutation.delete()
    for gene, hgvs, vaf in wanted:
        made = SampleMutation.objects.create(result=result, gene=gene, hgvs=hgvs, vaf_percent=vaf)
        audit.append(
            actor,
            "create",
            made,
            audit.changes_between(None, audit.snapshot(made)),
            reason=reason,
            patient=patient,
        )
    event = CustodyEvent.objects.create(
        sample=result.sample,
        event="analysed",
        on=dt.date.today(),
        recorded_by=actor,
        note=f"corrected: {source}"[:200],
    )
    audit.append(
        actor, "create", event, audit.changes_between(None, audit.snapshot(event)), patient=patient
    )


@atomic_service
def import_results(actor: Staff, text: str, *, source: str = "") -> ImportReport:
    """Import the valid lines of a results file (CSV text); report the others by line."""
    actor = current_actor(actor)
    require_role(actor, IMPORT_ROLES, "importing laboratory results")
    require_unlocked()
    text = require_text(text, "file")
    source = require_text(source, "source", max_length=200)
    lines, problems = read_results(text)
    samples = locked_samples([x.sample_id for x in lines])
    imported = []
    for line in lines:
        sample = samples.get(line.sample_id)
        problem = _problem(line, sample)
        if problem is not None:
            problems.append(problem)
            continue
        assert sample is not None
        save_result(actor, line, sample, f"{source} line {line.line}")
        imported.append(sample.identifier)
    return ImportReport(tuple(imported), tuple(sorted(problems, key=lambda p: p.line)))
