"""Round trip: synthetic patients' screening records written as FHIR and read back.

Where the EHR holds a datum the imported record has the same value (labs compared in
canonical units) and every fact derived from it is the same; every criterion the import
decides is decided as on the full record, and each one it cannot tell names only fields
the export does not hold.
"""

from __future__ import annotations

import math
from typing import Any

from oligotrial.eligibility import evaluate, record_from_data
from oligotrial.eligibility.canonical import canonical
from oligotrial.eligibility.evaluate import fact_names
from oligotrial.eligibility.facts import Missing, derive_facts
from oligotrial.eligibility.rules_check import derivation_settings
from oligotrial.interop.fhir import Prescreen
from oligotrial.synth.hospital_export import HospitalExport

from .conftest import DAY


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _pairs(export: HospitalExport, result: Prescreen) -> list[tuple[Any, Any, Any]]:
    originals = export.records()
    out = []
    for r in result.results:
        original = record_from_data(originals[r.patient_id], as_of=DAY)
        imported = record_from_data(r.record, as_of=DAY)
        out.append((r, original, imported))
    return out


def test_every_hcc_patient_and_only_they_are_screened(
    full_export: HospitalExport, full_prescreen: Prescreen
) -> None:
    assert len(full_export.hcc) > 50
    assert {r.patient_id for r in full_prescreen.results} == set(full_export.hcc)
    assert len(full_prescreen.export.patients) == 240
    assert full_prescreen.problems == [] and full_prescreen.export.problems == []


def test_fields_from_the_ehr_equal_the_records(
    full_export: HospitalExport, full_prescreen: Prescreen
) -> None:
    originals = full_export.records()
    compared: set[str] = set()
    for r in full_prescreen.results:
        original = originals[r.patient_id]
        for path in r.provenance:
            got, want = _at(r.record, path), _at(original, path)
            if path.startswith("labs."):
                name = path.split(".")[1]
                assert canonical(name, got["value"], got["unit"]) == canonical(
                    name, want["value"], want["unit"]
                ), (r.patient_id, path)
                assert got["date"] == want["date"]
                assert got.get("upper_limit") == want.get("upper_limit")
            elif path == "history.other_malignancies":
                pairs = [(m["category"], m["diagnosis_date"]) for m in got]
                assert set(pairs) <= {(m["category"], m["diagnosis_date"]) for m in want}
            elif path == "history.prior_radiotherapy":
                assert [c["date"] for c in got] == [c["date"] for c in want][: len(got)]
            elif path == "flst.regimen":
                assert got  # the drug names; the record's wording is the site's
            else:
                assert got == want, (r.patient_id, path, got, want)
            compared.add(path)
    for path in (
        "labs.bilirubin",
        "labs.albumin",
        "labs.afp",
        "ecog",
        "hbv.hbsag_positive",
        "diagnosis.date",
        "diagnosis.basis",
        "flst.start_date",
        "flst.contains_ici",
        "birth_date",
        "sex",
        "site",
    ):
        assert path in compared


def test_same_facts_where_the_ehr_holds_the_data(
    full_export: HospitalExport, full_prescreen: Prescreen, protocol: Any
) -> None:
    names, settings = fact_names(protocol), derivation_settings(protocol)
    known = 0
    for r, original, imported in _pairs(full_export, full_prescreen):
        want = derive_facts(original, settings, names)
        got = derive_facts(imported, settings, names)
        for name in names:
            if isinstance(got[name], Missing):
                lo, hi = got[name].low, got[name].high
                value = want[name]
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    assert lo <= value <= hi or math.isinf(value), (r.patient_id, name)
                continue
            known += 1
            assert got[name] == want[name], (r.patient_id, name, got[name], want[name])
    assert known > 4 * len(full_prescreen.results)


def test_decided_verdicts_agree_and_cannot_tell_names_what_the_ehr_lacks(
    full_export: HospitalExport, full_prescreen: Prescreen, protocol: Any
) -> None:
    decided = 0
    for r, original, imported in _pairs(full_export, full_prescreen):
        full = {c.id: c for c in evaluate(protocol, original).criteria}
        for c in evaluate(protocol, imported).criteria:
            if c.status == "cannot_tell":
                assert c.missing
                assert not set(c.missing) & set(r.provenance), (r.patient_id, c.id)
            else:
                decided += 1
                assert c.status == full[c.id].status, (r.patient_id, c.id)
        if evaluate(protocol, original).overall == "eligible":
            assert r.candidate  # an eligible patient is never excluded by the import
    assert decided >= 3 * len(full_prescreen.results)


def test_ecog_afp_and_hbv_are_decided_from_the_ehr(full_prescreen: Prescreen) -> None:
    for r in full_prescreen.results:
        assert r.result is not None
        status = {c.id: c for c in r.result.criteria}
        assert status["I7"].status != "cannot_tell"
        assert status["E9"].status != "cannot_tell"
        # no antiviral order in the EHR is not evidence of no antiviral treatment
        assert set(status["E7"].missing) <= {"hbv.on_antiviral"}


def test_candidates_are_ranked_by_fields_left_to_check(full_prescreen: Prescreen) -> None:
    for site in full_prescreen.sites:
        counts = [len(r.to_check) for r in full_prescreen.candidates(site)]
        assert counts == sorted(counts)
    excluded = full_prescreen.excluded()
    assert excluded and all(r.result and r.result.failed for r in excluded)
