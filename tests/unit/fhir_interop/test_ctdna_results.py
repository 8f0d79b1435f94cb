"""Reading a laboratory's ctDNA results from a FHIR Bundle: values in percent with the
resources behind each field; every resource that cannot be read is named with the element
at fault and the problem, nothing guessed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.reference import Reference

from oligotrial.errors import InputError
from oligotrial.interop.fhir.ctdna_results import read_ctdna_bundle
from oligotrial.interop.fhir.ctdna_table import parse_table

sys.path.insert(0, str(Path(__file__).parent))
import ctdna_bundles as lab


def _problems(bundle: dict[str, Any]) -> list[str]:
    return [str(p) for p in read_ctdna_bundle(lab.text(bundle))[1]]


def test_a_lab_bundle_gives_one_sample_in_percent_with_its_resources() -> None:
    [found], problems = read_ctdna_bundle(lab.text(lab.as_json(lab.lab_bundle())))
    assert problems == []
    assert (found.patient, found.sample, found.ctdna_detected) == ("S01-000", "S01-000-CT1", True)
    assert (found.mean_vaf_percent, found.max_vaf_percent) == (1.5, 4.0)
    assert found.tumour_fraction_percent == pytest.approx(8.0)
    assert [(m.gene, m.hgvs) for m in found.mutations] == [("TP53", "p.Arg249Ser")]
    assert found.sources["mutations"] == ["Observation/var-1 MolecularSequence/seq-1"]


def test_logical_references_by_identifier_and_boolean_detection_are_read() -> None:
    resources = lab.lab_bundle(detected=False)[2:4]  # detection and mean VAF only
    for obs in resources:
        obs.subject = Reference(identifier=Identifier(system=lab.PATIENT_SYSTEM, value="S01-002"))
        obs.specimen = Reference(identifier=Identifier(system=lab.LABEL_SYSTEM, value="T-9"))
    resources[0].valueCodeableConcept = None
    resources[0].valueBoolean = False
    [found], problems = read_ctdna_bundle(lab.text(lab.as_json(resources)))
    assert problems == []
    assert (found.patient, found.sample, found.ctdna_detected, found.mean_vaf_percent) == (
        "S01-002",
        "T-9",
        False,
        0.0,
    )


def test_unknown_codes_statuses_and_missing_references_are_named() -> None:
    bundle = lab.as_json(lab.lab_bundle())
    lab.resource(bundle, "tf-1")["code"]["coding"][0]["code"] = "cfdna-yield"
    lab.resource(bundle, "mean-1")["status"] = "preliminary"
    del lab.resource(bundle, "max-1")["specimen"]
    lab.resource(bundle, "det-1")["subject"] = {"reference": "Patient/nobody"}
    assert _problems(bundle) == [
        "Observation/det-1 subject.reference: 'Patient/nobody' is no Patient of this Bundle",
        "Observation/mean-1 status: 'preliminary': only amended, corrected, final results "
        "are imported",
        "Observation/max-1 specimen: is required (the tube label)",
        "Observation/tf-1 code: no coding is a ctDNA result of the table "
        "(urn:oligotrial:ctdna-result|cfdna-yield)",
    ]


def test_a_specimen_or_sequence_of_another_patient_is_refused() -> None:
    resources = lab.lab_bundle()
    other = resources[0].model_copy(deep=True)
    other.id = "pt-2"
    other.identifier = [Identifier(system=lab.PATIENT_SYSTEM, value="S01-007")]
    resources[1].subject = Reference(reference="Patient/pt-2")
    problems = _problems(lab.as_json([*resources, other]))
    assert problems[0] == (
        "Observation/det-1 specimen: the specimen S01-000-CT1 is patient S01-007's, not S01-000's"
    )
    assert len(problems) == 5  # every result on that tube


def test_contradictions_within_a_sample_are_named() -> None:
    bundle = lab.as_json(lab.lab_bundle(max_vaf=1.0))  # maximum 1 % below the mean 1.5 %
    assert _problems(bundle) == [
        "Observation/max-1 valueQuantity.value: 1 % is below the mean VAF 1.5 %"
    ]
    twice = lab.as_json(lab.lab_bundle())
    copy = dict(lab.resource(twice, "max-1"), id="max-2")
    twice["entry"].append({"fullUrl": "urn:uuid:max-2", "resource": copy})
    assert _problems(twice) == [
        "Observation/max-2 code: a second max_vaf for the sample S01-000-CT1 "
        "(first: Observation/max-1)"
    ]
    none_detected = lab.as_json(lab.lab_bundle(detected=False))
    for rid in ("mean-1", "max-1"):
        lab.resource(none_detected, rid)["valueQuantity"]["value"] = 0.2
    assert _problems(none_detected) == [
        "Observation/det-1 value[x]: 'not detected' but a VAF above zero is given"
    ]


def test_a_variant_needs_gene_change_and_vaf() -> None:
    bundle = lab.as_json(lab.lab_bundle())
    variant = lab.resource(bundle, "var-1")
    variant["component"] = variant["component"][:2]
    variant["meta"] = {"versionId": "3"}
    assert _problems(bundle) == [
        "Observation/var-1/_history/3 component: has no sample variant allele frequency "
        "(LOINC 81258-6)"
    ]


def test_not_a_bundle_and_a_bad_table_are_input_errors() -> None:
    with pytest.raises(InputError, match="not JSON"):
        read_ctdna_bundle("{")
    with pytest.raises(InputError, match="expected a FHIR Bundle"):
        read_ctdna_bundle('{"resourceType": "Observation"}')
    with pytest.raises(InputError, match=r"bundle\.entry: is not a list"):
        read_ctdna_bundle('{"resourceType": "Bundle", "type": "collection", "entry": "x"}')
    with pytest.raises(InputError, match=r"observations\.vaf"):
        parse_table(
            {
                "identifiers": {"patient": "p", "specimen": "s"},
                "observations": {"vaf": [{"system": "x", "code": "y"}]},
            }
        )
