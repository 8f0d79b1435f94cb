"""Samples from draw to result: custody steps in order, audited; the laboratory's results
file imported line by line (bad lines reported, good ones stored); the site's schedule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from edc_support import TODAY, TrialDb, randomized_patients

from oligotrial.edc.models import AuditEntry, Biosample, CustodyEvent, SampleResult
from oligotrial.edc.services import samples
from oligotrial.edc.services.sample_reading import (
    exploratory_data,
    overdue_samples,
    patient_samples,
)
from oligotrial.edc.services.sample_results import import_results
from oligotrial.errors import InputError, PermissionDenied, StateError

HEADER = "sample_id,ctdna_detected,mean_vaf,max_vaf,tumour_fraction,unit,mutations\n"


def _drawn(t: object, number: str = "S01-000", time_point: str = "baseline") -> Biosample:
    c = t.coord["S01"]  # type: ignore[attr-defined]
    return samples.collect_sample(
        c, number, kind="ctdna", time_point=time_point, collected_on=TODAY, processed_on=TODAY
    )


def test_a_sample_goes_from_draw_to_result_with_every_step_audited(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    c = t.coord["S01"]
    s = _drawn(t)
    assert s.identifier == "S01-000-CT1" and s.status == "collected"
    with pytest.raises(StateError, match="must be shipped"):
        samples.advance_sample(c, "S01-000", s.identifier, step="received", on=TODAY)
    samples.advance_sample(c, "S01-000", s.identifier, step="shipped", on=TODAY, location="lab")
    samples.advance_sample(
        c, "S01-000", s.identifier, step="received", on=TODAY, location="rack A3"
    )
    report = import_results(
        t.dm, HEADER + "S01-000-CT1,yes,1.5,4,8,%,TP53 p.R249S 4; TERT c.-124C>T 1\n"
    )
    assert report.imported == ("S01-000-CT1",) and report.problems == ()
    s.refresh_from_db()
    assert (s.status, s.storage_location) == ("analysed", "rack A3")
    result = SampleResult.objects.get(sample=s)
    assert result.max_vaf_percent == 4.0
    assert sorted(m.gene for m in result.mutations.all()) == ["TERT", "TP53"]
    events = list(CustodyEvent.objects.filter(sample=s).values_list("event", flat=True))
    assert events == ["collected", "processed", "shipped", "received", "analysed"]
    audited = {m.lower() for m in AuditEntry.objects.values_list("model", flat=True)}
    assert {"biosample", "custodyevent", "sampleresult", "samplemutation"} <= {
        m.rsplit(".", 1)[-1] for m in audited
    }
    data = exploratory_data(t.stat)
    assert [(o.time_point, o.detected, o.day) for o in data.ctdna] == [("baseline", True, 0)]


def test_results_file_reports_bad_lines_and_imports_the_rest(trial_db: TrialDb) -> None:
    t = randomized_patients(2)
    _drawn(t, "S01-000")
    _drawn(t, "S01-001")
    text = HEADER + (
        "S01-000-CT1,no,0,0,0,fraction,\n"
        "S01-999-CT1,yes,1,2,3,%,\n"  # unknown sample
        "S01-001-CT1,yes,1,120,3,%,\n"  # impossible VAF
        "S01-001-CT1,yes,1,2,3,ppm,\n"  # unit
        "S01-000-CT1,yes,1,2,3,%,\n"  # duplicate within the file
    )
    before = AuditEntry.objects.count()
    report = import_results(t.dm, text, source="lab.csv")
    assert report.imported == ("S01-000-CT1",)
    assert [(p.line, p.field) for p in report.problems] == [
        (3, "sample_id"),
        (4, "max_vaf"),
        (5, "unit"),
        (6, "sample_id"),
    ]
    assert "duplicate of line 2" in str(report.problems[-1])
    assert AuditEntry.objects.count() > before
    again = import_results(t.dm, HEADER + "S01-000-CT1,no,,,,%,\n")
    assert again.imported == () and "already has a result" in again.problems[0].message


def test_results_need_the_data_manager_and_a_header(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    with pytest.raises(PermissionDenied):
        import_results(t.coord["S01"], HEADER)
    with pytest.raises(InputError, match="lacks the column"):
        import_results(t.dm, "sample_id,max_vaf\n")


def test_bad_sample_input_is_refused_and_nothing_written(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    c = t.coord["S01"]
    before = AuditEntry.objects.count()
    with pytest.raises(InputError, match="time_point"):
        samples.collect_sample(c, "S01-000", kind="ctdna", time_point="week 3", collected_on=TODAY)
    with pytest.raises(InputError, match="future"):
        samples.collect_sample(
            c, "S01-000", kind="ctdna", time_point="baseline", collected_on=TODAY + dt.timedelta(1)
        )
    with pytest.raises(InputError, match="reason"):
        samples.record_missing_sample(
            c, "S01-000", kind="biopsy", time_point="baseline", reason=" "
        )
    assert AuditEntry.objects.count() == before
    _drawn(t)
    with pytest.raises(InputError, match="already recorded"):
        _drawn(t)


def test_the_schedule_lists_expected_and_overdue_samples(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    c = t.coord["S01"]
    rows = patient_samples(c, "S01-000", TODAY)
    states = {(r.kind, r.time_point): r.state for r in rows}
    assert states[("ctdna", "baseline")] == "expected"
    assert states[("ctdna", "progression")] == "expected"  # no progression yet: never overdue
    late = TODAY + dt.timedelta(days=60)
    overdue = {(r.kind, r.time_point) for r in overdue_samples(_patient(), late)}
    assert ("ctdna", "baseline") in overdue and ("ctdna", "first-follow-up-after-rt") in overdue
    samples.record_missing_sample(
        c, "S01-000", kind="ctdna", time_point="baseline", reason="patient declined"
    )
    after = {(r.kind, r.time_point): r.state for r in patient_samples(c, "S01-000", late)}
    assert after[("ctdna", "baseline")] == "missing"


def _patient() -> object:
    from oligotrial.edc.models import Patient

    return Patient.objects.get(screening_number="S01-000")


def test_import_results_command_reports_each_bad_line(trial_db: TrialDb, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from oligotrial.cli import app

    t = randomized_patients(1)
    _drawn(t)
    lab = tmp_path / "lab.csv"
    lab.write_text(
        HEADER
        + "S02-001-CT1,yes,1,2,3,%,\n"
        + "S01-000-CT1,yes,0.01,0.02,0.04,fraction,TP53 p.R249S 0.02\n",
        encoding="utf-8",
    )
    extra = (
        ["--data-dir", trial_db.env["OLIGOTRIAL_DATA_DIR"]] if trial_db.vendor == "sqlite" else []
    )
    result = CliRunner().invoke(
        app, ["samples", "import-results", str(lab), "--user", "dm", *extra], env=trial_db.env
    )
    assert result.exit_code == 1, result.output
    assert "1 result(s) imported from lab.csv" in result.stdout
    assert "line 2 (S02-001-CT1): sample_id: no sample carries this label" in result.stdout
    assert SampleResult.objects.get(sample__identifier="S01-000-CT1").max_vaf_percent == 2.0
    missing = CliRunner().invoke(
        app, ["samples", "import-results", str(tmp_path / "none.csv"), "--user", "dm", *extra]
    )
    assert missing.exit_code != 0 and "cannot read" in missing.output


def test_status_moves_only_through_the_custody_steps(trial_db: TrialDb) -> None:
    from oligotrial.edc import services

    t = randomized_patients(1)
    values = {"kind": "ctdna", "time_point": "baseline", "identifier": "X1", "collected_on": TODAY}
    with pytest.raises(InputError, match="not a field to enter here"):
        services.record(t.coord["S01"], "S01-000", "biosample", {**values, "status": "analysed"})
    sample = services.record(t.coord["S01"], "S01-000", "biosample", values)
    assert sample.status == "collected"
