"""CDISC ODM 1.3.2 of the clinical data with its audit records (a transactional file).

Each audit entry of a patient's data becomes one ItemGroupData (the record: its kind is the
item group, its id the repeat key) with TransactionType Insert, Update or Remove, the
changed fields as ItemData (the new value; a value set to nothing is IsNull="Yes") and an
AuditRecord: the user, the site (location), the time, the reason and the entry's number
in the audit chain (SourceID). The metadata declares one study event, one form and item
group per kind of record and one text item per field; AdminData lists users and sites.
ODM 1.3.2 specification, sections 2.9-2.11 (transactional data) and 3.1.3 (AuditRecord).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from lxml import etree

from oligotrial.interop.cdisc.odm.model import Trail, TrailEntry

NS = "http://www.cdisc.org/ns/odm/v1.3"
EVENT = "SE.TRIAL"
TRIAL_OFFICE = "LOC.TRIAL-OFFICE"
_TRANSACTION = {"create": "Insert", "delete": "Remove"}


def _e(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str) -> Any:
    qname = f"{{{NS}}}{tag}"
    el = (
        etree.Element(qname, nsmap={None: NS})
        if parent is None
        else etree.SubElement(parent, qname)
    )
    for k, v in attrs.items():
        el.set(k, v)
    if text is not None:
        el.text = text
    return el


def _oid(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _fields(entries: Iterable[TrailEntry]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in entries:
        known = out.setdefault(e.model, [])
        known += [f for f in e.changes if f not in known]
    return out


def _metadata(study: Any, trail: Trail, fields: dict[str, list[str]]) -> None:
    mdv = _e(
        study,
        "MetaDataVersion",
        OID=f"MDV.{_oid(trail.study_oid)}",
        Name=f"Protocol version {trail.protocol_version}",
    )
    protocol = _e(mdv, "Protocol")
    _e(protocol, "StudyEventRef", StudyEventOID=EVENT, Mandatory="Yes")
    event = _e(mdv, "StudyEventDef", OID=EVENT, Name="Trial", Repeating="No", Type="Common")
    for model in fields:
        _e(event, "FormRef", FormOID=f"F.{_oid(model)}", Mandatory="No")
    for model in fields:
        form = _e(mdv, "FormDef", OID=f"F.{_oid(model)}", Name=model, Repeating="Yes")
        _e(form, "ItemGroupRef", ItemGroupOID=f"IG.{_oid(model)}", Mandatory="Yes")
    for model, names in fields.items():
        group = _e(mdv, "ItemGroupDef", OID=f"IG.{_oid(model)}", Name=model, Repeating="Yes")
        for i, name in enumerate(names, start=1):
            _e(
                group,
                "ItemRef",
                ItemOID=f"IT.{_oid(model)}.{_oid(name)}",
                Mandatory="No",
                OrderNumber=str(i),
            )
    for model, names in fields.items():
        for name in names:
            _e(mdv, "ItemDef", OID=f"IT.{_oid(model)}.{_oid(name)}", Name=name, DataType="text")


def _admin(root: Any, trail: Trail, mdv: str) -> None:
    admin = _e(root, "AdminData", StudyOID=_oid(trail.study_oid))
    for user in sorted({e.actor for e in trail.entries}):
        _e(_e(admin, "User", OID=f"USR.{_oid(user)}"), "LoginName", user)
    sites = {**trail.sites, "": "Trial office"}
    for code in sorted(sites):
        oid = f"LOC.{_oid(code)}" if code else TRIAL_OFFICE
        location = _e(admin, "Location", OID=oid, Name=sites[code], LocationType="Site")
        first = min((e.at.date() for e in trail.entries), default=dt.date.today())
        _e(
            location,
            "MetaDataVersionRef",
            StudyOID=_oid(trail.study_oid),
            MetaDataVersionOID=mdv,
            EffectiveDate=first.isoformat(),
        )


def _group(form: Any, e: TrailEntry) -> None:
    transaction = _TRANSACTION.get(e.action, "Update")
    group = _e(
        form,
        "ItemGroupData",
        ItemGroupOID=f"IG.{_oid(e.model)}",
        ItemGroupRepeatKey=e.object_id or "1",
        TransactionType=transaction,
    )
    audit = _e(group, "AuditRecord", ID=f"AR.{e.seq}")
    _e(audit, "UserRef", UserOID=f"USR.{_oid(e.actor)}")
    _e(audit, "LocationRef", LocationOID=f"LOC.{_oid(e.site)}" if e.site else TRIAL_OFFICE)
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=dt.UTC)
    _e(audit, "DateTimeStamp", at.isoformat())
    if e.reason:
        _e(audit, "ReasonForChange", e.reason)
    _e(audit, "SourceID", f"audit entry {e.seq} ({e.action})")
    if transaction == "Remove":
        return
    for name, (_, new) in e.changes.items():
        oid = f"IT.{_oid(e.model)}.{_oid(name)}"
        item_transaction = "Insert" if transaction == "Insert" else "Update"
        if new is None:
            _e(group, "ItemData", ItemOID=oid, TransactionType=item_transaction, IsNull="Yes")
        else:
            _e(group, "ItemData", ItemOID=oid, TransactionType=item_transaction, Value=_value(new))


def odm_document(trail: Trail, *, created: dt.datetime, source_version: str) -> bytes:
    """The ODM 1.3.2 file (UTF-8 XML) of the trail."""
    stamp = (created if created.tzinfo else created.replace(tzinfo=dt.UTC)).replace(microsecond=0)
    study_oid = _oid(trail.study_oid)
    root = _e(
        None,
        "ODM",
        FileType="Transactional",
        FileOID=f"ODM.{study_oid}.{stamp:%Y%m%dT%H%M%S}",
        CreationDateTime=stamp.isoformat(),
        ODMVersion="1.3.2",
        Originator="oligotrial",
        SourceSystem="oligotrial",
        SourceSystemVersion=source_version,
    )
    study = _e(root, "Study", OID=study_oid)
    variables = _e(study, "GlobalVariables")
    _e(variables, "StudyName", trail.study_oid)
    _e(variables, "StudyDescription", trail.study_name)
    _e(variables, "ProtocolName", trail.study_oid)
    fields = _fields(trail.entries)
    _metadata(study, trail, fields)
    mdv = f"MDV.{study_oid}"
    _admin(root, trail, mdv)
    clinical = _e(root, "ClinicalData", StudyOID=study_oid, MetaDataVersionOID=mdv)
    by_patient: dict[str, list[TrailEntry]] = {}
    for e in trail.entries:
        by_patient.setdefault(e.patient, []).append(e)
    for patient, entries in by_patient.items():
        subject = _e(clinical, "SubjectData", SubjectKey=patient, TransactionType="Context")
        event = _e(subject, "StudyEventData", StudyEventOID=EVENT, TransactionType="Context")
        for e in entries:
            form = _e(event, "FormData", FormOID=f"F.{_oid(e.model)}", TransactionType="Context")
            _group(form, e)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return out
