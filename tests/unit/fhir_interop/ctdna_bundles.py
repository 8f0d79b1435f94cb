"""A laboratory's ctDNA results as real FHIR R4B resources, built with fhir.resources.

``lab_bundle`` builds a Bundle of one patient and one tube: the Patient (screening number as
an identifier), the Specimen (tube label), the result Observations (ctDNA detected, mean and
maximum VAF, tumour fraction) and one Genomics Reporting variant Observation derived from a
MolecularSequence. ``as_json`` turns resources into a Bundle's JSON; tests edit the plain
JSON to make values fhir.resources would not build (NaN).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.molecularsequence import MolecularSequence
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.specimen import Specimen

LAB = "urn:oligotrial:ctdna-result"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
PATIENT_SYSTEM = "urn:oligotrial:screening-number"
LABEL_SYSTEM = "urn:oligotrial:sample-label"


def concept(system: str, code: str, display: str | None = None) -> CodeableConcept:
    return CodeableConcept(coding=[Coding(system=system, code=code, display=display)])


def quantity(value: float, code: str = "%") -> Quantity:
    return Quantity(value=value, unit=code, system=UCUM, code=code)


def result(rid: str, code: str, specimen: str, patient: str, **value: Any) -> Observation:
    return Observation(
        id=rid,
        status="final",
        code=concept(LAB, code),
        subject=Reference(reference=f"Patient/{patient}"),
        specimen=Reference(reference=f"Specimen/{specimen}"),
        **value,
    )


def variant(
    rid: str, specimen: str, patient: str, gene: str, hgvs: str, vaf: float, sequence: str
) -> Observation:
    return Observation(
        id=rid,
        status="final",
        code=concept(LOINC, "69548-6", "Genetic variant assessment"),
        subject=Reference(reference=f"Patient/{patient}"),
        specimen=Reference(reference=f"Specimen/{specimen}"),
        valueCodeableConcept=concept(LOINC, "LA9633-4", "Present"),
        derivedFrom=[Reference(reference=f"MolecularSequence/{sequence}")],
        component=[
            ObservationComponent(
                code=concept(LOINC, "48018-6", "Gene studied [ID]"),
                valueCodeableConcept=concept("http://www.genenames.org/geneId", "HGNC:11998", gene),
            ),
            ObservationComponent(
                code=concept(LOINC, "48005-3", "Amino acid change (pHGVS)"),
                valueCodeableConcept=concept("http://varnomen.hgvs.org", hgvs),
            ),
            ObservationComponent(
                code=concept(LOINC, "81258-6", "Sample variant allelic frequency [NFr]"),
                valueQuantity=quantity(vaf, "1"),
            ),
        ],
    )


def lab_bundle(
    screening_number: str = "S01-000",
    label: str = "S01-000-CT1",
    *,
    max_vaf: float = 4.0,
    detected: bool = True,
    n: int = 1,
) -> list[Resource]:
    """One patient's tube: detection, mean/max VAF (%), tumour fraction and a TP53 variant;
    the resources' ids end in ``-n``."""
    p, s = f"pt-{n}", f"sp-{n}"
    answer = ("260373001", "Detected") if detected else ("260415000", "Not detected")
    return [
        Patient(id=p, identifier=[Identifier(system=PATIENT_SYSTEM, value=screening_number)]),
        Specimen(
            id=s,
            identifier=[Identifier(system=LABEL_SYSTEM, value=label)],
            subject=Reference(reference=f"Patient/{p}"),
        ),
        result(f"det-{n}", "ctdna-detected", s, p, valueCodeableConcept=concept(SNOMED, *answer)),
        result(f"mean-{n}", "mean-vaf", s, p, valueQuantity=quantity(1.5 if detected else 0)),
        result(f"max-{n}", "max-vaf", s, p, valueQuantity=quantity(max_vaf if detected else 0)),
        result(f"tf-{n}", "tumour-fraction", s, p, valueQuantity=quantity(0.08, "1")),
        MolecularSequence(
            id=f"seq-{n}",
            type="dna",
            coordinateSystem=0,
            patient=Reference(reference=f"Patient/{p}"),
            specimen=Reference(reference=f"Specimen/{s}"),
        ),
        variant(f"var-{n}", s, p, "TP53", "p.Arg249Ser", 0.04, f"seq-{n}"),
    ]


def as_json(resources: list[Resource]) -> dict[str, Any]:
    """A collection Bundle of ``resources`` as plain JSON (a dict, to edit before sending)."""
    bundle = Bundle(
        id="lab-report-1",
        type="collection",
        entry=[
            BundleEntry(fullUrl=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, str(r.id))}", resource=r)
            for r in resources
        ],
    )
    return json.loads(bundle.model_dump_json(exclude_none=True))


def text(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle)


def resource(bundle: dict[str, Any], rid: str) -> dict[str, Any]:
    """The entry's resource of id ``rid`` (to edit in place)."""
    return next(e["resource"] for e in bundle["entry"] if e["resource"].get("id") == rid)
