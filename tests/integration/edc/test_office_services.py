"""The trial office's services: queries raised by hand, their conversation and closing by
role (refusals audited); source data verification per value, form and visit, undone by a
later correction; the audit trail filtered and exported. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from edc_support import TODAY, TrialDb, randomized_patients

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, DataQuery, QueryMessage, SourceVerification
from oligotrial.edc.services import audit_browser, office_queries, verification
from oligotrial.edc.services.audit_browser import CONCEALED
from oligotrial.errors import InputError, PermissionDenied, StateError

P = "S01-000"


def _trial_with_lab() -> tuple[Any, Any, Any]:
    t = randomized_patients(1)
    c = t.coord["S01"]
    services.schedule_visits(c, P, horizon_weeks=30)
    services.record_visit(c, P, 0, visit_date=TODAY)
    lab = services.record(
        c,
        P,
        "lab",
        {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": TODAY},
        visit_number=0,
    )
    return t, c, lab


def test_a_query_raised_by_hand_is_answered_and_closed_by_the_office(trial_db: TrialDb) -> None:
    t, c, lab = _trial_with_lab()
    query = office_queries.raise_query(t.dm, "lab", lab.pk, "value", "Please confirm 38 g/L.")
    assert (query.rule, query.field, query.status) == ("manual", "value", "open")
    assert office_queries.state_of(office_queries.visible_query(t.dm, query.pk)) == "open"
    services.answer_query(c, query.pk, "Confirmed against the lab report.")
    assert office_queries.state_of(office_queries.visible_query(t.dm, query.pk)) == "answered"
    assert [q.pk for q in office_queries.office_queries(t.dm, state="answered")] == [query.pk]
    assert not office_queries.office_queries(t.dm, state="open").exists()
    office_queries.post_message(t.monitor, query.pk, "Which report date?")
    assert office_queries.state_of(office_queries.visible_query(t.dm, query.pk)) == "open"
    talk = office_queries.conversation(query)
    assert [(e.side, e.author.username) for e in talk] == [
        ("office", "dm"),
        ("site", "coord-S01"),
        ("office", "monitor"),
    ]
    office_queries.close_query(t.monitor, query.pk, reason="confirmed at source")
    query.refresh_from_db()
    assert query.status == "closed"
    assert list(office_queries.office_queries(t.dm, state="closed")) == [query]
    actions = list(
        AuditEntry.objects.filter(object_id=str(query.pk), model="edc.DataQuery").values_list(
            "action", flat=True
        )
    )
    assert actions == ["query-open", "query-close"]
    assert AuditEntry.objects.filter(action="query-message").count() == 2
    services.verify_chain()


def test_closing_needs_the_role_and_a_refusal_is_audited(trial_db: TrialDb) -> None:
    t, c, lab = _trial_with_lab()
    query = office_queries.raise_query(t.monitor, "lab", lab.pk, "unit", "Unit?")
    with pytest.raises(PermissionDenied) as refused:
        office_queries.close_query(c, query.pk, reason="I fixed it")
    assert "closing a query needs one of the roles" in str(refused.value)
    query.refresh_from_db()
    assert query.status == "open"
    entry = AuditEntry.objects.get(action="refused")
    assert (entry.actor, entry.patient, entry.object_id) == ("coord-S01", P, str(query.pk))
    assert json.loads(entry.changes) == {"action": [None, "query-close"]}
    assert "needs one of the roles" in entry.reason
    with pytest.raises(PermissionDenied):
        office_queries.close_query(t.stat, query.pk, reason="x")
    # the other site's coordinator: the query reads as unknown, nothing audited
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as unknown:
        office_queries.close_query(t.coord["S02"], query.pk, reason="x")
    assert unknown.value.field == "query_id"
    with pytest.raises(InputError) as blank:
        office_queries.close_query(t.dm, query.pk, reason="  ")
    assert blank.value.field == "reason"
    assert AuditEntry.objects.count() == before
    office_queries.close_query(t.dm, query.pk, reason="unit confirmed")
    with pytest.raises(StateError):
        office_queries.close_query(t.dm, query.pk, reason="again")
    with pytest.raises(StateError):
        office_queries.post_message(t.dm, query.pk, "after closing")


def test_bad_queries_are_refused_with_nothing_written(trial_db: TrialDb) -> None:
    t, c, lab = _trial_with_lab()
    before = (AuditEntry.objects.count(), DataQuery.objects.count(), QueryMessage.objects.count())
    cases = [
        (t.dm, "lab", lab.pk, "colour", "x", "field"),
        (t.dm, "lab", 10_000, "value", "x", "record_id"),
        (t.dm, "potion", lab.pk, "value", "x", "kind"),
        (t.dm, "lab", lab.pk, "value", "   ", "text"),
        (t.dm, "lab", str(lab.pk), "value", "x", "record_id"),
    ]
    for actor, kind, record_id, field, text, named in cases:
        with pytest.raises(InputError) as caught:
            office_queries.raise_query(actor, kind, record_id, field, text)
        assert caught.value.field == named
    with pytest.raises(PermissionDenied):
        office_queries.raise_query(c, "lab", lab.pk, "value", "site staff do not raise")
    with pytest.raises(InputError) as status:
        office_queries.office_queries(t.dm, state="pending")
    assert status.value.field == "status"
    after = (AuditEntry.objects.count(), DataQuery.objects.count(), QueryMessage.objects.count())
    assert after == before


def test_queries_filter_by_site_and_age(trial_db: TrialDb) -> None:
    t, c, lab = _trial_with_lab()
    query = office_queries.raise_query(t.dm, "lab", lab.pk, "value", "?")
    assert [q.pk for q in office_queries.office_queries(t.dm, site="S01")] == [query.pk]
    assert not office_queries.office_queries(t.dm, site="S02").exists()
    assert not office_queries.office_queries(t.dm, older_than_days=7).exists()
    DataQuery.objects.filter(pk=query.pk).update(opened_at=query.opened_at.replace(year=2020))
    assert [q.pk for q in office_queries.office_queries(t.dm, older_than_days=7)] == [query.pk]
    with pytest.raises(PermissionDenied):
        office_queries.office_queries(c)


def test_a_monitor_verifies_a_form_and_a_correction_unverifies_the_value(
    trial_db: TrialDb,
) -> None:
    t, c, lab = _trial_with_lab()
    names = verification.verifiable_fields(verification.KINDS["lab"])
    assert names == ("analyte", "value", "unit", "reference_low", "reference_high", "sampled_on")
    done = verification.verify(t.monitor, "lab", lab.pk)
    assert done.fields == len(names)
    assert verification.verify(t.monitor, "lab", lab.pk).fields == 0  # nothing new
    services.correct_value(c, "lab", lab.pk, "value", 36.0, reason="transcription error")
    rows = {v.field: v for v in SourceVerification.objects.filter(object_id=str(lab.pk))}
    assert rows["value"].state == "changed" and rows["value"].change_reason == "transcription error"
    assert rows["unit"].state == "verified"
    void = AuditEntry.objects.get(action="sdv-void")
    assert (void.patient, void.reason) == (P, "transcription error")
    [site] = verification.progress_by_site(t.monitor)
    assert (site.name, site.changed) == ("S01", 1)
    assert verification.verify(t.monitor, "lab", lab.pk, "value").fields == 1
    assert SourceVerification.objects.get(object_id=str(lab.pk), field="value").state == "verified"
    services.verify_chain()


def test_verifying_a_visit_covers_its_records_and_progress_counts_them(
    trial_db: TrialDb,
) -> None:
    t, _c, lab = _trial_with_lab()
    [before] = verification.progress_by_site(t.dm)
    done = verification.verify_visit(t.monitor, P, 0)
    visit_fields = len(verification.verifiable_fields(verification.KINDS["visit"]))
    lab_fields = len(verification.verifiable_fields(verification.KINDS["lab"]))
    assert done.fields == visit_fields + lab_fields
    [after] = verification.progress_by_site(t.dm)
    assert after.fields == before.fields and after.left == before.left - done.fields
    [patient] = verification.progress_by_patient(t.dm, "S01")
    assert (patient.name, patient.left) == (P, after.left)
    forms = verification.left_for_patient(t.monitor, P)
    by_kind = {(f["kind"], f["record"].pk): f for f in forms}
    assert by_kind[("lab", lab.pk)]["left"] == 0 and by_kind[("lab", lab.pk)]["visit"] == 0


def test_verification_is_for_monitors_of_their_sites_with_nothing_written_on_refusal(
    trial_db: TrialDb,
) -> None:
    t, c, lab = _trial_with_lab()
    before = AuditEntry.objects.count()
    for actor in (t.dm, c, t.stat):
        with pytest.raises(PermissionDenied):
            verification.verify(actor, "lab", lab.pk)
    refused = AuditEntry.objects.filter(action="refused").order_by("seq")
    assert [(e.actor, e.model, e.object_id) for e in refused] == [
        (name, "edc.LabResult", str(lab.pk)) for name in ("dm", "coord-S01", "stat")
    ]
    with pytest.raises(PermissionDenied):
        verification.verify(c, "lab", "1")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        verification.verify_visit(t.dm, P, 0)
    assert AuditEntry.objects.filter(action="refused", model="edc.Visit").count() == 1
    before += 4
    other = services.add_staff(t.admin, "monitor-S02", "monitor", "S02")
    with pytest.raises(InputError) as unknown:
        verification.verify(other, "lab", lab.pk)
    assert unknown.value.field == "record_id"
    with pytest.raises(InputError) as elsewhere:
        verification.verify(t.monitor, "lab", lab.pk, of_patient="S01-001")
    assert elsewhere.value.field == "record_id"
    with pytest.raises(InputError) as field:
        verification.verify(t.monitor, "lab", lab.pk, "patient")
    assert field.value.field == "field"
    with pytest.raises(InputError) as scheduled:
        verification.verify_visit(t.monitor, P, 1)  # scheduled, nothing recorded
    assert scheduled.value.field == "visit_number"
    assert AuditEntry.objects.count() == before + 1  # the second monitor's account
    assert not SourceVerification.objects.exists()


def test_the_audit_trail_is_filtered_and_exported(trial_db: TrialDb) -> None:
    t, c, lab = _trial_with_lab()
    services.correct_value(c, "lab", lab.pk, "value", 36.0, reason="transcription error")
    everything = audit_browser.audit_entries(t.dm, audit_browser.AuditFilter())
    # every entry but the allocation list's own (its seed would regenerate the list)
    assert everything.count() == AuditEntry.objects.exclude(model__in=CONCEALED).count() > 0
    assert AuditEntry.objects.filter(model__in=CONCEALED).exists()
    assert not everything.filter(model__in=CONCEALED).exists()
    f = audit_browser.parse_filter({"patient": P, "user": "coord-S01", "field": "value"})
    found = list(audit_browser.audit_entries(t.dm, f))
    assert {e.action for e in found} == {"create", "update"}
    assert {e.model for e in found} == {"edc.LabResult"}  # not a key nested in a value
    assert all('"value":' in e.changes and e.actor == "coord-S01" for e in found)
    today = audit_browser.parse_filter({"since": TODAY.isoformat(), "until": TODAY.isoformat()})
    assert audit_browser.audit_entries(t.dm, today).count() == everything.count()
    old = audit_browser.parse_filter({"until": "2020-01-01"})
    assert not audit_browser.audit_entries(t.dm, old).exists()
    text = "".join(audit_browser.csv_rows(audit_browser.audit_entries(t.dm, f)))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(audit_browser.COLUMNS) and len(rows) == len(found) + 1
    for bad, named in (
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-02-02", "until": "2026-02-01"}, "until"),
        ({"field": "value'); drop"}, "field"),
    ):
        with pytest.raises(InputError) as caught:
            audit_browser.parse_filter(bad)
        assert caught.value.field == named
    with pytest.raises(PermissionDenied):
        audit_browser.audit_entries(c, audit_browser.AuditFilter())
    other = services.add_staff(t.admin, "monitor-S02", "monitor", "S02")
    assert not audit_browser.audit_entries(other, audit_browser.AuditFilter(patient=P)).exists()
