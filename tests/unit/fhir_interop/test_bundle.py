"""One patient's Bundle gives the same partial record and sources as the bulk path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oligotrial.errors import InputError
from oligotrial.interop.fhir import Prescreen
from oligotrial.interop.fhir.bundle import read_bundle
from oligotrial.synth.hospital_export import HospitalExport

from .conftest import DAY


def _bundle(directory: Path, pid: str, extra: list[dict[str, object]] | None = None) -> str:
    entries = []
    for file in sorted(directory.glob("*.ndjson")):
        for line in file.read_text(encoding="utf-8").splitlines():
            resource = json.loads(line)
            subject = resource.get("subject", {}).get("reference")
            is_patient = resource["resourceType"] == "Patient" and resource.get("id") == pid
            if is_patient or subject == f"Patient/{pid}":
                entries.append({"resource": resource})
    entries += [{"resource": r} for r in extra or []]
    return json.dumps({"resourceType": "Bundle", "type": "searchset", "entry": entries})


def test_same_record_and_sources_as_the_bulk_path(
    full_export: HospitalExport, full_prescreen: Prescreen
) -> None:
    for result in full_prescreen.results[:5]:
        got = read_bundle(_bundle(full_export.directory, result.patient_id), "S-001", DAY)
        want = dict(result.record, patient_id="S-001")
        assert got.record == want
        assert got.sources == {
            path: [s.ref for s in sources] for path, sources in result.provenance.items()
        }
        assert got.problems == []


def test_unknown_type_and_invalid_resources_are_reported(full_export: HospitalExport) -> None:
    pid = sorted(full_export.hcc)[0]
    bad_obs = {
        "resourceType": "Observation",
        "id": "bad",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "1751-7"}]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": f"{DAY}T07:00:00+08:00",
        "issued": "yesterday",
        "valueQuantity": {"value": 40, "code": "g/L"},
    }
    text = _bundle(full_export.directory, pid, [{"resourceType": "Foo"}, bad_obs])
    got = read_bundle(text, "S-001", DAY)
    assert any(p.endswith("unknown resource type 'Foo'") for p in got.problems)
    assert any("Observation/bad: not a valid Observation (issued:" in p for p in got.problems)
    assert "Observation/bad" not in {r for refs in got.sources.values() for r in refs}


def test_not_a_bundle_or_two_patients(full_export: HospitalExport) -> None:
    with pytest.raises(InputError, match=r"bundle\.resourceType: expected 'Bundle'"):
        read_bundle('{"resourceType": "Patient"}', "S-001", DAY)
    with pytest.raises(InputError, match="not a FHIR Bundle in JSON"):
        read_bundle('{"resourceType": "Bundle", "entry": [', "S-001", DAY)
    a, b = sorted(full_export.hcc)[:2]
    two = json.loads(_bundle(full_export.directory, a))
    two["entry"] += json.loads(_bundle(full_export.directory, b))["entry"]
    with pytest.raises(InputError, match="holds 2 patients"):
        read_bundle(json.dumps(two), "S-001", DAY)
