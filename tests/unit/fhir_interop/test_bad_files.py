"""Bad lines in an export: each reported with its file and line; the rest processed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oligotrial.errors import InputError
from oligotrial.interop.fhir import Prescreen, prescreen
from oligotrial.synth.hospital_export import HospitalExport

from .conftest import DAY, copy_export


def _append(file: Path, *lines: str | bytes) -> int:
    """Append lines; return the line number of the first one."""
    existing = file.read_bytes()
    first = existing.count(b"\n") + 1
    with file.open("ab") as fh:
        for line in lines:
            fh.write((line.encode() if isinstance(line, str) else line) + b"\n")
    return first


def _obs(rid: str, pid: str, loinc: str, **value: Any) -> str:
    return json.dumps(
        {
            "resourceType": "Observation",
            "id": rid,
            "status": value.pop("status", "final"),
            "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
            "subject": {"reference": f"Patient/{pid}"},
            "effectiveDateTime": f"{DAY.isoformat()}T07:00:00+08:00",
            **value,
        }
    )


@pytest.fixture(scope="module")
def broken(
    full_export: HospitalExport, protocol: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Prescreen, dict[str, tuple[str, int]], str]:
    folder = copy_export(full_export.directory, tmp_path_factory.mktemp("bulk-broken"))
    pid = sorted(full_export.hcc)[0]
    obs, cond = folder / "Observation.ndjson", folder / "Condition.ndjson"
    good = obs.read_bytes().split(b"\n", 1)[0]
    where = {
        "truncated": ("Observation.ndjson", _append(obs, good[: len(good) // 2])),
        "wrong unit": (
            "Observation.ndjson",
            _append(
                obs,
                _obs("bad-unit", pid, "1975-2", valueQuantity={"value": 12.0, "code": "mmol/mol"}),
            ),
        ),
        "invalid": (
            "Observation.ndjson",
            _append(obs, _obs("bad-issued", pid, "89247-1", issued="yesterday", valueInteger=0)),
        ),
        "unknown type": ("Condition.ndjson", _append(cond, '{"resourceType": "Foo", "id": "x"}')),
        "missing patient": (
            "Condition.ndjson",
            _append(
                cond,
                json.dumps(
                    {
                        "resourceType": "Condition",
                        "id": "ghost-1",
                        "subject": {"reference": "Patient/ghost"},
                        "code": {
                            "coding": [
                                {"system": "http://hl7.org/fhir/sid/icd-10", "code": "C22.0"}
                            ]
                        },
                    }
                ),
            ),
        ),
    }
    _append(cond, '{"resourceType": "Encounter", "id": "enc-1"}')  # FHIR, not read: counted
    return prescreen(folder, protocol, DAY), where, pid


def _problem(result: Prescreen, file: str, line: int) -> str:
    found = [
        p.problem
        for p in result.export.problems + result.problems
        if (p.file, p.line) == (file, line)
    ]
    assert len(found) == 1, (file, line, found)
    return found[0]


def test_truncated_line(broken: tuple[Prescreen, dict[str, tuple[str, int]], str]) -> None:
    result, where, _ = broken
    assert "not a JSON resource" in _problem(result, *where["truncated"])


def test_unknown_resource_type(broken: tuple[Prescreen, dict[str, tuple[str, int]], str]) -> None:
    result, where, _ = broken
    assert _problem(result, *where["unknown type"]) == "unknown resource type 'Foo'"
    assert result.export.not_read == {"Encounter": 1}


def test_reference_to_a_missing_patient(
    broken: tuple[Prescreen, dict[str, tuple[str, int]], str],
) -> None:
    result, where, _ = broken
    assert _problem(result, *where["missing patient"]) == (
        "subject Patient/ghost: no such patient in the export"
    )
    assert "ghost" not in result.export.patients


def test_wrong_unit_is_reported_and_not_used(
    broken: tuple[Prescreen, dict[str, tuple[str, int]], str],
) -> None:
    result, where, pid = broken
    text = _problem(result, *where["wrong unit"])
    assert text.startswith("Observation/bad-unit: wrong unit for bilirubin:")
    assert "mmol/mol" in text
    patient = next(r for r in result.results if r.patient_id == pid)
    refs = {s.ref for sources in patient.provenance.values() for s in sources}
    assert "Observation/bad-unit" not in refs


def test_invalid_resource_supplies_nothing(
    broken: tuple[Prescreen, dict[str, tuple[str, int]], str],
) -> None:
    result, where, pid = broken
    text = _problem(result, *where["invalid"])
    assert text.startswith("Observation/bad-issued: not a valid Observation (issued:")
    patient = next(r for r in result.results if r.patient_id == pid)
    assert "ecog" not in patient.provenance and "ecog" not in patient.record
    assert patient.result is not None
    assert "ecog" in next(c for c in patient.result.criteria if c.id == "I7").missing


def test_the_rest_is_processed(
    broken: tuple[Prescreen, dict[str, tuple[str, int]], str], full_prescreen: Prescreen
) -> None:
    result, _, pid = broken
    clean = {r.patient_id: r for r in full_prescreen.results}
    assert {r.patient_id for r in result.results} == set(clean)
    for r in result.results:
        if r.patient_id != pid:
            assert r.record == clean[r.patient_id].record
            assert r.result == clean[r.patient_id].result


def test_not_an_export(tmp_path: Path, protocol: Any) -> None:
    with pytest.raises(InputError, match=r"no \.ndjson files"):
        prescreen(tmp_path, protocol, DAY)
    with pytest.raises(InputError, match="no such directory"):
        prescreen(tmp_path / "absent", protocol, DAY)
