"""Importing a laboratory's ctDNA results sent as a FHIR Bundle, all or nothing.

The Bundle is read by :func:`oligotrial.interop.fhir.ctdna_results.read_ctdna_bundle`
(validation, codes, units, values); here each sample's result is matched to the trial: the
screening number to a patient, the tube label to that patient's sample (not missing; a
detection result for a ctDNA sample and none for a biopsy). Any problem refuses the whole
Bundle and nothing is written: each is reported with the resource, the element's path and
what is wrong. Otherwise every result is stored by the one write path of the results
imports (:func:`~oligotrial.edc.services.sample_results.save_result`: audited, the sample
analysed, a custody step), keeping the resources behind each field.

Importing the same Bundle again changes nothing: a sample whose result came from the same
resources with the same values is reported unchanged. A laboratory that changes a released
result sends new versions of the same Observations with the status ``amended`` or
``corrected`` (FHIR R4 ObservationStatus): such a result replaces the stored one as an
audited correction, its reason naming the laboratory's status. Any other result for a
sample that already has one (from a file, other resources, or a new version still
``final``) is refused; nothing is replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oligotrial.edc.models import Biosample, Patient, Role, SampleResult, SampleStatus, Staff
from oligotrial.edc.services.access import current_actor, require_role, require_unlocked
from oligotrial.edc.services.sample_results import correct_result, locked_samples, save_result
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_text
from oligotrial.errors import InputError
from oligotrial.exploratory.results_file import ResultLine
from oligotrial.interop.fhir.ctdna_results import Problem, SampleFromFhir, read_ctdna_bundle

IMPORT_ROLES = frozenset({Role.DATA_MANAGER})
VALUES = ("ctdna_detected", "mean_vaf_percent", "max_vaf_percent", "tumour_fraction_percent")


@dataclass(frozen=True)
class FhirImportReport:
    imported: tuple[str, ...]  # sample labels written
    unchanged: tuple[str, ...]  # sample labels already holding these results
    problems: tuple[Problem, ...]  # when any, nothing was written
    corrected: tuple[str, ...] = ()  # sample labels whose result the laboratory corrected


def _line(found: SampleFromFhir) -> ResultLine:
    return ResultLine(
        0,
        found.sample,
        found.ctdna_detected,
        found.mean_vaf_percent,
        found.max_vaf_percent,
        found.tumour_fraction_percent,
        tuple(found.mutations),
    )


def _same(result: SampleResult, found: SampleFromFhir) -> bool:
    if result.fhir_sources != found.sources:
        return False
    if any(getattr(result, v) != getattr(found, v) for v in VALUES):
        return False
    stored = sorted((m.gene, m.hgvs, m.vaf_percent) for m in result.mutations.all())
    return stored == sorted((m.gene, m.hgvs, m.vaf_percent) for m in found.mutations)


def _logical(sources: dict[str, list[str]]) -> dict[str, str]:
    """Each value's resource without its version (``Observation/o1/_history/2`` → ``o1``)."""
    return {
        name: re.sub(r"/_history/[^/\s]+", "", names[0])
        for name, names in sources.items()
        if name != "mutations" and names
    }


def _corrects(result: SampleResult, found: SampleFromFhir) -> bool:
    """``found`` is the laboratory's correction of ``result``: amended or corrected
    Observations, every value given by the same resource as before (another version)."""
    if not found.corrects or not result.fhir_sources:
        return False
    old, new = _logical(result.fhir_sources), _logical(found.sources)
    return bool(old) and old.keys() == new.keys() and old == new


def _problem(found: SampleFromFhir, sample: Biosample | None, known: bool) -> Problem | None:
    """Why ``found`` cannot be stored on ``sample`` (None if it can, or already is)."""
    first = next(iter(found.sources.values()))[0].split()[0]

    def bad(path: str, message: str) -> Problem:
        return Problem(first, path, message)

    if not known:
        return bad("subject", f"no patient of the trial has the screening number {found.patient}")
    if sample is None:
        return bad("specimen", f"no sample carries the label {found.sample}; nothing imported")
    if sample.patient.screening_number != found.patient:
        owner = sample.patient.screening_number
        return bad(
            "specimen", f"the sample {found.sample} is patient {owner}'s, not {found.patient}'s"
        )
    if sample.status == SampleStatus.MISSING:
        return bad("specimen", f"the sample {found.sample} is recorded as missing")
    if sample.kind == "ctdna" and found.ctdna_detected is None:
        return bad("specimen", f"the ctDNA sample {found.sample} has no ctDNA detected result")
    if sample.kind == "biopsy" and found.ctdna_detected is not None:
        where = found.sources["ctdna_detected"][0]
        return Problem(
            where, "code", f"ctDNA detection is for ctDNA samples; {found.sample} is a biopsy"
        )
    result = getattr(sample, "result", None)
    if result is not None and not _same(result, found) and not _corrects(result, found):
        return bad(
            "specimen",
            f"the sample {found.sample} already has a result ({result.source}); nothing "
            "replaced (a laboratory's correction comes as amended or corrected versions of "
            "the same Observations)",
        )
    return None


@atomic_service
def import_fhir_results(actor: Staff, text: str, *, source: str = "") -> FhirImportReport:
    """Import the ctDNA results of a FHIR Bundle (JSON text): all of them, or none."""
    actor = current_actor(actor)
    require_role(actor, IMPORT_ROLES, "importing laboratory results")
    require_unlocked()
    text = require_text(text, "bundle", blank=False)
    source = require_text(source, "source", max_length=120)
    found, problems = read_ctdna_bundle(text)
    if not found and not problems:
        raise InputError("bundle", "holds no ctDNA result (no Observation the table maps)")
    samples = locked_samples([f.sample for f in found])
    known = set(
        Patient.objects.filter(screening_number__in=[f.patient for f in found]).values_list(
            "screening_number", flat=True
        )
    )
    write: list[tuple[SampleFromFhir, Biosample]] = []
    unchanged: list[tuple[SampleFromFhir, Biosample]] = []
    corrections: list[tuple[SampleFromFhir, Biosample]] = []
    for f in found:
        sample = samples.get(f.sample)
        problem = _problem(f, sample, f.patient in known)
        if problem is not None:
            problems.append(problem)
        elif sample is not None and hasattr(sample, "result"):
            (unchanged if _same(sample.result, f) else corrections).append((f, sample))
        elif sample is not None:
            write.append((f, sample))
    if problems:
        return FhirImportReport((), (), tuple(problems))
    label = f"FHIR {source}".strip() if source else "FHIR Bundle"
    for f, sample in write:
        save_result(actor, _line(f), sample, label, f.sources)
    for f, sample in corrections:
        reason = f"the laboratory's amended or corrected result ({label})"
        correct_result(actor, _line(f), sample.result, label, f.sources, reason)
    return FhirImportReport(
        tuple(f.sample for f, _ in write),
        tuple(f.sample for f, _ in unchanged),
        (),
        tuple(f.sample for f, _ in corrections),
    )
