"""define.xml 2.1 for the ADaM data sets (ADaMIG 1.3, ADaM and SDTM controlled terminology).

One ItemGroupDef per data set (Purpose Analysis; def:Class SUBJECT LEVEL ANALYSIS
DATASET, BASIC DATA STRUCTURE with SubClass TIME-TO-EVENT for ADTTE, OCCURRENCE DATA
STRUCTURE for ADAE; keys as KeySequence; the ADaM IG's required variables Mandatory), one
ItemDef per variable (numeric dates as integers with their SAS display format), origins
Predecessor / Assigned / Derived with a MethodDef for each derivation (:mod:`.adam_meta`),
the codelists of :mod:`.adam_codelists`, and value-level metadata of AVAL per PARAMCD.
Shares its pieces with the SDTM define (:mod:`.common`, :mod:`.value_level`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import odmlib.define_2_1.model as DEFINE

from oligotrial.interop.cdisc.adam import REQUIRED
from oligotrial.interop.cdisc.dataset import Dataset, Variable
from oligotrial.interop.cdisc.define import adam_meta, common
from oligotrial.interop.cdisc.define.adam_codelists import codelist_of
from oligotrial.interop.cdisc.define.codelists import Codelist
from oligotrial.interop.cdisc.define.value_level import where_ref
from oligotrial.protocol import Protocol

STANDARDS = (common.ADAMIG, common.ADAM_CT, common.CT)
CTCAE_NOTE = (
    "Coded with CTCAE v5.0: AEDECOD is the CTCAE term and AEBODSYS its system organ class "
    "(the MedDRA SOC name CTCAE gives). MedDRA itself needs a licence and is not used to "
    "code this trial."
)


def _origin(dataset: Dataset, v: Variable) -> tuple[Any, str | None]:
    """(def:Origin, MethodDef OID or None) of ``v``."""
    source = adam_meta.predecessor(dataset.name, v.name)
    if source is not None:
        return DEFINE.Origin(Type="Predecessor", Description=common.text(source)), None
    if v.name in adam_meta.ASSIGNED:
        return DEFINE.Origin(Type="Assigned", Source="Sponsor"), None
    key = adam_meta.method_key(dataset.name, v.name)
    return DEFINE.Origin(Type="Derived"), adam_meta.method_oid(key)


def _item_def(dataset: Dataset, v: Variable, origin: Any) -> Any:
    dated = v.type in ("date", "datetime")
    item = common.item_def(dataset, v, "integer" if dated else None)
    if v.format:
        item.DisplayFormat = v.format
    if v.name in ("AEDECOD", "AEBODSYS"):
        item.CommentOID = "COM.CTCAE"
    item.Origin = [origin]
    return item


def _item_group(dataset: Dataset, methods: dict[str, str | None]) -> Any:
    name = dataset.name
    klass, subclass, structure = adam_meta.CLASSES[name]
    required = set(REQUIRED.get(name, ()))
    group = DEFINE.ItemGroupDef(
        OID=f"IG.{name}",
        Name=name,
        Repeating="No" if name == "ADSL" else "Yes",
        IsReferenceData="No",
        SASDatasetName=name,
        Purpose="Analysis",
        Structure=structure,
        ArchiveLocationID=f"LF.{name}",
        StandardOID=common.ADAMIG[0],
    )
    if dataset.notes:
        group.CommentOID = f"COM.{name}"
    group.Description = common.text(dataset.label)
    for number, v in enumerate(dataset.variables, start=1):
        ref = DEFINE.ItemRef(
            ItemOID=f"IT.{name}.{v.name}",
            OrderNumber=number,
            Mandatory="Yes" if v.name in required else "No",
        )
        if v.name in dataset.keys:
            ref.KeySequence = dataset.keys.index(v.name) + 1
        if methods.get(v.name):
            ref.MethodOID = methods[v.name]
        group.ItemRef.append(ref)
    group.Class = DEFINE.Class(Name=klass)
    if subclass:
        group.Class.SubClass = [DEFINE.SubClass(Name=subclass)]
    group.leaf = common.leaf(name)
    return group


def _aval_by_parameter(
    mdv: Any, dataset: Dataset, aval: Any, codelist: Codelist | None, method: str | None
) -> Any:
    """The ValueListDef of AVAL per PARAMCD (the PARAM as description), or None."""
    frame = dataset.frame
    if "PARAMCD" not in frame.columns or frame.empty:
        return None
    name = dataset.name
    value_list = DEFINE.ValueListDef(OID=f"VL.{name}.AVAL")
    for number, code in enumerate(dict.fromkeys(frame["PARAMCD"]), start=1):
        oid = where_ref(mdv, value_list, name, "PARAMCD", str(code), "AVAL", number)
        value_list.ItemRef[-1].MethodOID = method
        params = dict.fromkeys(frame.loc[frame["PARAMCD"] == code, "PARAM"].dropna())
        item = DEFINE.ItemDef(OID=oid, Name="AVAL", DataType=aval.DataType, SASFieldName="AVAL")
        item.Length, item.SignificantDigits = aval.Length, aval.SignificantDigits
        item.Description = common.text(" / ".join(map(str, params)) or str(code))
        if codelist is not None:
            item.CodeListRef = DEFINE.CodeListRef(CodeListOID=codelist.oid)
        item.Origin = [DEFINE.Origin(Type="Derived")]
        mdv.ItemDef.append(item)
    mdv.ValueListDef.append(value_list)
    return value_list


def build_adam_define(
    datasets: Sequence[Dataset], protocol: Protocol, *, created: dt.datetime | None = None
) -> Any:
    """The define.xml document (an odmlib ``ODM`` object) for the ADaM ``datasets``."""
    mdv = common.metadata_version(protocol, "ADaM", STANDARDS)
    codelists: dict[str, Codelist] = {}
    methods: dict[str, tuple[str, str]] = {}
    items = []
    for dataset in datasets:
        used: dict[str, str | None] = {}
        for v in dataset.variables:
            origin, method = _origin(dataset, v)
            used[v.name] = method
            if method is not None:
                key = adam_meta.method_key(dataset.name, v.name)
                methods[method] = adam_meta.METHODS[key]
            item = _item_def(dataset, v, origin)
            codelist = codelist_of(dataset, v.name, protocol)
            if codelist is not None:
                codelists.setdefault(codelist.oid, codelist)
                item.CodeListRef = DEFINE.CodeListRef(CodeListOID=codelist.oid)
            if v.name == "AVAL":
                value_list = _aval_by_parameter(mdv, dataset, item, codelist, method)
                if value_list is not None:
                    item.ValueListRef = DEFINE.ValueListRef(ValueListOID=value_list.OID)
            items.append(item)
        mdv.ItemGroupDef.append(_item_group(dataset, used))
    mdv.ItemDef.extend(items)
    for codelist in codelists.values():
        mdv.CodeList.append(common.codelist_def(codelist, common.CT[0]))
    for oid, (name, description) in methods.items():
        mdv.MethodDef.append(common.method_def(oid, name, description))
    mdv.CommentDef.append(DEFINE.CommentDef(OID="COM.CTCAE", Description=common.text(CTCAE_NOTE)))
    common.dataset_comments(mdv, datasets)
    return common.document(mdv, protocol, "ADaM", created)
