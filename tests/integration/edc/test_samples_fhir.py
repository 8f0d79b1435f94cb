"""A laboratory's ctDNA results as a FHIR Bundle, imported all or nothing: matched to the
patient (screening number) and the sample (tube label), stored through the one results
write path (audited, with the resources behind each field); a Bundle with any unmatched or
malformed resource is refused, naming the resource, the element and the problem, and
nothing is written; the same Bundle imported again changes nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from edc_support import TODAY, TrialDb, randomized_patients

from oligotrial.edc.models import AuditEntry, Biosample, CustodyEvent, SampleResult
from oligotrial.edc.services import samples
from oligotrial.edc.services.sample_fhir_results import import_fhir_results
from oligotrial.edc.services.sample_reading import exploratory_data
from oligotrial.errors import InputError, PermissionDenied

sys.path.insert(0, str(Path(__file__).parents[2] / "unit" / "fhir_interop"))
import ctdna_bundles as lab


def _drawn(t: Any, number: str = "S01-000") -> Biosample:
    return samples.collect_sample(
        t.coord["S01"], number, kind="ctdna", time_point="baseline", collected_on=TODAY
    )


def _nothing_written(before: int) -> None:
    assert AuditEntry.objects.count() == before
    assert not SampleResult.objects.exists()
    assert set(Biosample.objects.values_list("status", flat=True)) == {"collected"}


def test_a_good_bundle_is_stored_with_its_resources_and_audited(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    sample = _drawn(t)
    report = import_fhir_results(t.dm, lab.text(lab.as_json(lab.lab_bundle())), source="lab.json")
    assert (report.imported, report.unchanged, report.problems) == (("S01-000-CT1",), (), ())
    r = SampleResult.objects.get(sample=sample)
    assert (r.ctdna_detected, r.mean_vaf_percent, r.max_vaf_percent) == (True, 1.5, 4.0)
    assert r.tumour_fraction_percent == pytest.approx(8.0)  # 0.08 in UCUM "1"
    assert [(m.gene, m.hgvs, m.vaf_percent) for m in r.mutations.all()] == [
        ("TP53", "p.Arg249Ser", pytest.approx(4.0))
    ]
    assert r.source == "FHIR lab.json"
    assert r.fhir_sources == {
        "ctdna_detected": ["Observation/det-1"],
        "mean_vaf": ["Observation/mean-1"],
        "max_vaf": ["Observation/max-1"],
        "tumour_fraction": ["Observation/tf-1"],
        "mutations": ["Observation/var-1 MolecularSequence/seq-1"],
    }
    sample.refresh_from_db()
    assert sample.status == "analysed"
    assert CustodyEvent.objects.filter(sample=sample, event="analysed").count() == 1
    created = AuditEntry.objects.filter(model__iendswith="sampleresult", action="create").get()
    assert json.loads(created.changes)["fhir_sources"][1]["max_vaf"] == ["Observation/max-1"]
    data = exploratory_data(t.stat)
    shown = [(o.time_point, o.detected, o.max_vaf_percent) for o in data.ctdna]
    assert shown == [("baseline", True, 4.0)]


def test_the_same_bundle_again_changes_nothing(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    _drawn(t)
    text = lab.text(lab.as_json(lab.lab_bundle()))
    import_fhir_results(t.dm, text)
    before = AuditEntry.objects.count()
    again = import_fhir_results(t.dm, text)
    assert (again.imported, again.unchanged, again.problems) == ((), ("S01-000-CT1",), ())
    assert AuditEntry.objects.count() == before
    assert SampleResult.objects.count() == 1
    # a new version of a result is not an update in disguise: refused, nothing replaced
    changed = lab.as_json(lab.lab_bundle(max_vaf=6.0))
    lab.resource(changed, "max-1")["meta"] = {"versionId": "2"}
    refused = import_fhir_results(t.dm, lab.text(changed))
    assert [(p.resource, p.path) for p in refused.problems] == [("Observation/det-1", "specimen")]
    assert "already has a result (FHIR Bundle)" in refused.problems[0].message
    assert SampleResult.objects.get().max_vaf_percent == 4.0
    assert AuditEntry.objects.count() == before


def test_the_laboratorys_corrected_result_replaces_the_stored_one_audited(
    trial_db: TrialDb,
) -> None:
    """New versions of the same Observations, status ``corrected``: the values that changed
    and the variants no longer reported are replaced as an audited correction with its
    reason; the same correction again changes nothing; a corrected result naming other
    Observations is still refused."""
    import json as json_module

    from oligotrial.edc.audit_reconcile import reconcile
    from oligotrial.edc.audit_verify import verify_chain
    from oligotrial.edc.models import SampleMutation

    t = randomized_patients(1)
    sample = _drawn(t)
    import_fhir_results(t.dm, lab.text(lab.as_json(lab.lab_bundle())), source="lab.json")
    before = AuditEntry.objects.count()
    fixed = lab.as_json(lab.lab_bundle(max_vaf=6.0))
    for rid in ("max-1", "var-1"):
        lab.resource(fixed, rid)["meta"] = {"versionId": "2"}
        lab.resource(fixed, rid)["status"] = "corrected"
    fixed["entry"] = [  # the variant is withdrawn: its resources are not sent again
        e for e in fixed["entry"] if e["resource"]["id"] not in ("var-1", "seq-1")
    ]
    report = import_fhir_results(t.dm, lab.text(fixed), source="lab-v2.json")
    assert (report.imported, report.corrected, report.problems) == ((), ("S01-000-CT1",), ())
    r = SampleResult.objects.get(sample=sample)
    assert (r.max_vaf_percent, r.mean_vaf_percent) == (6.0, 1.5)
    assert r.fhir_sources["max_vaf"] == ["Observation/max-1/_history/2"]
    assert not SampleMutation.objects.filter(result=r).exists()
    entries = list(AuditEntry.objects.filter(seq__gt=0).order_by("seq"))[before:]
    by_action = {(e.model, e.action) for e in entries}
    assert ("edc.SampleResult", "update") in by_action
    assert ("edc.SampleMutation", "delete") in by_action
    update = next(e for e in entries if e.action == "update")
    assert "corrected result (FHIR lab-v2.json)" in update.reason
    assert json_module.loads(update.changes)["max_vaf_percent"] == [4.0, 6.0]
    assert verify_chain().ok and reconcile().ok
    count = AuditEntry.objects.count()
    again = import_fhir_results(t.dm, lab.text(fixed), source="lab-v2.json")
    assert (again.unchanged, again.corrected) == (("S01-000-CT1",), ())
    assert AuditEntry.objects.count() == count
    other = lab.as_json(lab.lab_bundle(max_vaf=7.0, n=2))  # other Observations, same tube
    lab.resource(other, "max-2")["status"] = "corrected"
    refused = import_fhir_results(t.dm, lab.text(other))
    assert refused.problems and "already has a result" in refused.problems[0].message
    assert SampleResult.objects.get().max_vaf_percent == 6.0
    assert AuditEntry.objects.count() == count


def test_an_unknown_patient_is_refused(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    _drawn(t)
    before = AuditEntry.objects.count()
    report = import_fhir_results(t.dm, lab.text(lab.as_json(lab.lab_bundle("S09-123"))))
    assert report.imported == ()
    assert [str(p) for p in report.problems] == [
        "Observation/det-1 subject: no patient of the trial has the screening number S09-123"
    ]
    _nothing_written(before)


def test_a_sample_not_found_or_of_another_patient_is_refused(trial_db: TrialDb) -> None:
    t = randomized_patients(2)
    _drawn(t, "S01-000")
    _drawn(t, "S01-001")
    before = AuditEntry.objects.count()
    unknown = import_fhir_results(t.dm, lab.text(lab.as_json(lab.lab_bundle(label="S01-000-CT9"))))
    assert [str(p) for p in unknown.problems] == [
        "Observation/det-1 specimen: no sample carries the label S01-000-CT9; nothing imported"
    ]
    other = import_fhir_results(t.dm, lab.text(lab.as_json(lab.lab_bundle(label="S01-001-CT1"))))
    assert [str(p) for p in other.problems] == [
        "Observation/det-1 specimen: the sample S01-001-CT1 is patient S01-001's, not S01-000's"
    ]
    _nothing_written(before)


def _bad(bundle: dict[str, Any], rid: str, **value: Any) -> dict[str, Any]:
    lab.resource(bundle, rid)["valueQuantity"].update(value)
    return bundle


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda b: _bad(b, "max-1", value=float("nan")),
            "Observation/max-1 valueQuantity.value: not valid FHIR: "
            "Value error, Decimal value string does not match spec regex.",
        ),
        (
            lambda b: _bad(b, "mean-1", value=-0.5),
            "Observation/mean-1 valueQuantity.value: -0.5 % is impossible (it lies within 0-100 %)",
        ),
        (
            lambda b: _bad(b, "tf-1", value=1.5),  # a fraction of 1.5
            "Observation/tf-1 valueQuantity.value: 150 % is impossible (it lies within 0-100 %)",
        ),
        (
            lambda b: _bad(b, "max-1", code="mmol/L", unit="mmol/L"),
            "Observation/max-1 valueQuantity.code: "
            "the unit 'mmol/L' is not allowed (UCUM '%', '1')",
        ),
    ],
    ids=["nan", "negative-vaf", "fraction-above-one", "unit-not-allowed"],
)
def test_a_bad_value_refuses_the_whole_bundle(trial_db: TrialDb, edit: Any, expected: str) -> None:
    t = randomized_patients(2)
    _drawn(t, "S01-000")
    _drawn(t, "S01-001")
    # a second, valid tube in the same Bundle: not imported either
    good_other = lab.as_json(lab.lab_bundle("S01-001", "S01-001-CT1", n=2))["entry"]
    bundle = edit(lab.as_json(lab.lab_bundle()))
    bundle["entry"] += good_other
    text = lab.text(bundle)
    assert "NaN" in text or "nan" not in expected.lower()
    before = AuditEntry.objects.count()
    report = import_fhir_results(t.dm, text)
    assert [str(p) for p in report.problems] == [expected]
    assert report.imported == ()
    _nothing_written(before)


def test_only_the_data_manager_imports(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    _drawn(t)
    with pytest.raises(PermissionDenied):
        import_fhir_results(t.coord["S01"], lab.text(lab.as_json(lab.lab_bundle())))
    with pytest.raises(InputError, match="holds no ctDNA result"):
        import_fhir_results(t.dm, lab.text(lab.as_json(lab.lab_bundle()[:2])))
    with pytest.raises(InputError, match="expected a FHIR Bundle"):
        import_fhir_results(t.dm, '{"resourceType": "Observation"}')


def test_import_fhir_command_refuses_or_imports_the_bundle(
    trial_db: TrialDb, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from oligotrial.cli import app

    t = randomized_patients(1)
    _drawn(t)
    extra = (
        ["--data-dir", trial_db.env["OLIGOTRIAL_DATA_DIR"]] if trial_db.vendor == "sqlite" else []
    )
    bad, good = tmp_path / "bad.json", tmp_path / "report.json"
    bad.write_text(lab.text(_bad(lab.as_json(lab.lab_bundle()), "max-1", value=-2)), "utf-8")
    good.write_text(lab.text(lab.as_json(lab.lab_bundle())), "utf-8")

    def run(path: Path) -> Any:
        command = ["samples", "import-fhir", str(path), "--user", "dm", *extra]
        return CliRunner().invoke(app, command, env=trial_db.env)

    refused = run(bad)
    assert refused.exit_code == 1, refused.output
    assert "refused: Observation/max-1 valueQuantity.value: -2 % is impossible" in refused.stdout
    assert "Nothing imported from bad.json." in refused.stdout
    assert not SampleResult.objects.exists()
    first, second = run(good), run(good)
    assert first.exit_code == 0, first.output
    done = "from report.json, {} corrected by the laboratory (audited), {} already imported."
    assert "1 result(s) imported " + done.format(0, 0) in first.stdout
    assert "0 result(s) imported " + done.format(0, 1) in second.stdout
    assert SampleResult.objects.get().source == "FHIR report.json"
    fixed = lab.as_json(lab.lab_bundle(max_vaf=5.0))
    lab.resource(fixed, "max-1").update(status="amended", meta={"versionId": "2"})
    good.write_text(lab.text(fixed), "utf-8")
    third = run(good)
    assert "0 result(s) imported " + done.format(1, 0) in third.stdout, third.output
    assert SampleResult.objects.get().max_vaf_percent == 5.0
