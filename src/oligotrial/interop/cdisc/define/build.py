"""define.xml 2.1 for the SDTM data sets, built with odmlib's Define-XML 2.1 model.

One ItemGroupDef per data set (class, structure, keys, the XPT file as its leaf), one
ItemDef per variable (``--DTC`` as ISO 8601 ``date``; text lengths from the data), the
codelists of :mod:`.codelists`, the computation methods of --SEQ and --DY, and comments:
the data set notes (the full wording of long criteria in TI) and the CTCAE coding of
AEDECOD/AEBODSYS; value-level metadata for the SUPPQUAL QVALs and the findings' results by test code
(:mod:`.value_level`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import odmlib.define_2_1.model as DEFINE

from oligotrial.countries import COUNTRIES
from oligotrial.interop.cdisc.dataset import Dataset, Variable
from oligotrial.interop.cdisc.define import common
from oligotrial.interop.cdisc.define.codelists import (
    CODELISTS,
    CTCAE_NOTE,
    VARIABLE_CODELIST,
    Codelist,
)
from oligotrial.interop.cdisc.define.value_level import add_value_level
from oligotrial.interop.cdisc.sdtm import terminology as ct
from oligotrial.interop.cdisc.sdtm.required import REQUIRED
from oligotrial.protocol import Protocol

CLASSES = {
    "DM": "SPECIAL PURPOSE",
    "SV": "SPECIAL PURPOSE",
    "DS": "EVENTS",
    "DD": "FINDINGS",
    "AE": "EVENTS",
    "MH": "EVENTS",
    "EX": "INTERVENTIONS",
    "PR": "INTERVENTIONS",
    "CM": "INTERVENTIONS",
    "LB": "FINDINGS",
    "TU": "FINDINGS",
    "TR": "FINDINGS",
    "RS": "FINDINGS",
    "TA": "TRIAL DESIGN",
    "TE": "TRIAL DESIGN",
    "TV": "TRIAL DESIGN",
    "TI": "TRIAL DESIGN",
    "TS": "TRIAL DESIGN",
}
METHODS = {
    "SEQ": (
        "MT.SEQ",
        "Sequence number",
        "1, 2, ... within subject and domain, records sorted by their date (--STDTC or "
        "--DTC), then the topic variable, then the database record (see docs/cdisc.md).",
    ),
    "DY": (
        "MT.STUDYDAY",
        "Study day",
        "Date minus DM.RFSTDTC (the randomization date), plus 1 when on or after it; no day 0.",
    ),
}


def _class_of(name: str) -> str:
    if name.startswith("SUPP"):
        return "RELATIONSHIP"
    return CLASSES.get(name, "FINDINGS")


def _method_of(name: str) -> str | None:
    if name.endswith("SEQ") and name not in ("TSSEQ",):
        return METHODS["SEQ"][0]
    if name.endswith("DY") and name != "VISITDY":
        return METHODS["DY"][0]
    return None


#: variables computed by the export or by the product's engines, not entered
DERIVED = frozenset(
    {
        "AEDECOD", "AEBODSYS", "AELLTCD", "AEREL",
        "AGE", "RFSTDTC", "RFENDTC", "RFXSTDTC", "RFXENDTC", "RFPENDTC", "DTHFL",
        "LBNRIND", "LBLOBXFL", "RSORRES", "RSSTRESC", "TRGRPID", "AESOC", "TRREASND",
        "LBREASND",
    }
)  # fmt: skip
#: variables set by the export from the database's structure (identifiers, names)
ASSIGNED = frozenset(
    {"STUDYID", "DOMAIN", "RDOMAIN", "IDVAR", "QNAM", "QLABEL", "QORIG", "VISIT", "EPOCH"}
    | {"COUNTRY"}  # the country of the subject's site
)


def _origin(dataset: Dataset, v: Variable) -> Any:
    """Protocol for the trial design, Assigned, Derived (methods, standard results, the
    response engine's RS results, CTCAE coding), else Collected by the investigator."""
    if dataset.name in ("TA", "TE", "TV", "TI", "TS"):
        return DEFINE.Origin(Type="Protocol")
    if v.name in ASSIGNED:
        return DEFINE.Origin(Type="Assigned")
    if _method_of(v.name) or v.name.startswith("LBST") or v.name in DERIVED:
        return DEFINE.Origin(Type="Derived")
    return DEFINE.Origin(Type="Collected", Source="Investigator")


def _item_def(dataset: Dataset, v: Variable) -> Any:
    item = common.item_def(dataset, v, "date" if v.name.endswith("DTC") else None)
    key = VARIABLE_CODELIST.get(v.name)
    if key is not None:
        item.CodeListRef = DEFINE.CodeListRef(CodeListOID=CODELISTS[key].oid)
    if v.name in ("AEDECOD", "AEBODSYS"):
        item.CommentOID = "COM.CTCAE"
    item.Origin = [_origin(dataset, v)]
    return item


def _item_group(dataset: Dataset) -> Any:
    name = dataset.name
    required = set(REQUIRED.get(name, ()))
    design = _class_of(name) == "TRIAL DESIGN"
    group = DEFINE.ItemGroupDef(
        OID=f"IG.{name}",
        Name=name,
        Repeating="No" if name == "DM" else "Yes",
        IsReferenceData="Yes" if design else "No",
        SASDatasetName=name,
        Domain=name[4:] if name.startswith("SUPP") else name,
        Purpose="Tabulation",
        Structure=dataset.structure or "One record per row",
        ArchiveLocationID=f"LF.{name}",
        StandardOID=common.SDTMIG[0],
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
        method = _method_of(v.name)
        if method is not None:
            ref.MethodOID = method
        group.ItemRef.append(ref)
    group.Class = DEFINE.Class(Name=_class_of(name))
    group.leaf = common.leaf(name)
    return group


def _countries(datasets: Sequence[Dataset]) -> Codelist:
    """The COUNTRY codelist (C66786) holding the countries DM uses, with their NCI codes."""
    used: set[str] = set()
    for dataset in datasets:
        if "COUNTRY" in dataset.frame.columns:
            used |= {c for c in dataset.frame["COUNTRY"] if isinstance(c, str) and c}
    terms = tuple(ct.Term(c, *COUNTRIES[c]) for c in sorted(used) if c in COUNTRIES)
    return replace(CODELISTS["COUNTRY"], terms=terms)


def build_define(
    datasets: Sequence[Dataset], protocol: Protocol, *, created: dt.datetime | None = None
) -> Any:
    """The define.xml document (an odmlib ``ODM`` object) for ``datasets``."""
    mdv = common.metadata_version(protocol, "SDTM", (common.SDTMIG, common.CT))
    for dataset in datasets:
        mdv.ItemGroupDef.append(_item_group(dataset))
    used: list[str] = []
    for dataset in datasets:
        value_list = add_value_level(mdv, dataset)
        for v in dataset.variables:
            item = _item_def(dataset, v)
            if value_list is not None and v.name == value_list[0]:
                item.ValueListRef = DEFINE.ValueListRef(ValueListOID=value_list[1])
            mdv.ItemDef.append(item)
            key = VARIABLE_CODELIST.get(v.name)
            if key and key not in used:
                used.append(key)
    for key in used:
        codelist = _countries(datasets) if key == "COUNTRY" else CODELISTS[key]
        mdv.CodeList.append(common.codelist_def(codelist, common.CT[0]))
    for oid, name, text in METHODS.values():
        mdv.MethodDef.append(common.method_def(oid, name, text))
    mdv.CommentDef.append(DEFINE.CommentDef(OID="COM.CTCAE", Description=common.text(CTCAE_NOTE)))
    common.dataset_comments(mdv, datasets)
    return common.document(mdv, protocol, "SDTM", created)
