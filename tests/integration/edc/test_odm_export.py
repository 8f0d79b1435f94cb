"""ODM 1.3.2 of the clinical data: valid against the schema, one AuditRecord per audit
entry of a patient (user, site, time, reason, chain number), and site isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from edc_support import TODAY, TrialDb, build_trial, enrol
from lxml import etree

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry
from oligotrial.errors import PermissionDenied
from oligotrial.interop.cdisc.odm import odm_document, schema_errors
from oligotrial.interop.cdisc.odm.trail import audit_trail

NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
CREATED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_odm_holds_every_audit_entry_and_is_valid(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    services.randomize(c, "S01-001", randomized_on=TODAY)
    lab = services.record(
        c,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 3.5, "unit": "g/L", "sampled_on": TODAY},
    )
    services.correct_value(c, "lab", lab.pk, "value", 35.0, reason="entered in g/dL by mistake")
    document = odm_document(audit_trail(t.stat), created=CREATED, source_version="test")
    assert schema_errors(document) == []
    root = etree.fromstring(document)
    assert root.get("ODMVersion") == "1.3.2" and root.get("FileType") == "Transactional"
    records = root.findall(".//odm:AuditRecord", NS)
    expected = AuditEntry.objects.filter(patient="S01-001").count()
    assert expected > 0 and len(records) == expected
    reasons = [r.findtext("odm:ReasonForChange", namespaces=NS) for r in records]
    assert "entered in g/dL by mistake" in reasons
    users = {r.find("odm:UserRef", NS).get("UserOID") for r in records}
    assert "USR.coord-S01" in users
    update = next(r for r in records if r.findtext("odm:ReasonForChange", namespaces=NS))
    group = update.getparent()
    assert group.get("TransactionType") == "Update"
    (item,) = group.findall("odm:ItemData", NS)
    assert item.get("ItemOID").endswith(".value") and item.get("Value") == "35.0"


def test_schema_errors_name_the_fault() -> None:
    bad = b'<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" ODMVersion="1.3.2"/>'
    errors = schema_errors(bad)
    assert errors and any("FileOID" in e or "FileType" in e for e in errors)


def test_site_staff_may_not_export_and_monitors_see_their_sites(trial_db: TrialDb) -> None:
    t = build_trial()
    enrol(t.coord["S01"], "S01-001")
    enrol(t.coord["S02"], "S02-001")
    with pytest.raises(PermissionDenied):
        audit_trail(t.coord["S01"])
    everyone = {e.patient for e in audit_trail(t.stat).entries}
    assert everyone == {"S01-001", "S02-001"}
    assert {e.patient for e in audit_trail(t.monitor).entries} == {"S01-001"}  # bound to S01
