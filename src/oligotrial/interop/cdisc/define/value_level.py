"""Value-level metadata of the SUPPQUAL data sets: what QVAL holds for each QNAM.

Define-XML 2.1, section 5.3.6: QVAL carries a ValueListDef with one ItemRef per QNAM, each
restricted by a WhereClauseDef (``QNAM EQ <name>``) and pointing at an ItemDef named after
the qualifier, labelled with QLABEL and with QORIG as its origin.
"""

from __future__ import annotations

from typing import Any

import odmlib.define_2_1.model as DEFINE

from oligotrial.interop.cdisc.dataset import Dataset

_ORIGIN = {"CRF": "Collected", "DERIVED": "Derived", "ASSIGNED": "Assigned"}


def _text(value: str) -> Any:
    return DEFINE.Description(TranslatedText=[DEFINE.TranslatedText(_content=value, lang="en")])


def qualifiers(dataset: Dataset) -> list[tuple[str, str, str, int]]:
    """(QNAM, QLABEL, QORIG, longest QVAL in bytes) in QNAM order."""
    frame = dataset.frame
    out = []
    for qnam in sorted(set(frame["QNAM"])):
        rows = frame[frame["QNAM"] == qnam]
        longest = max(len(str(v).encode("utf-8")) for v in rows["QVAL"])
        out.append((str(qnam), str(rows["QLABEL"].iloc[0]), str(rows["QORIG"].iloc[0]), longest))
    return out


def add_value_level(mdv: Any, dataset: Dataset) -> str | None:
    """Add the QVAL value list of a SUPP data set to ``mdv``; its OID (None: no rows)."""
    if not dataset.name.startswith("SUPP") or dataset.frame.empty:
        return None
    name = dataset.name
    value_list = DEFINE.ValueListDef(OID=f"VL.{name}.QVAL")
    for number, (qnam, label, origin, longest) in enumerate(qualifiers(dataset), start=1):
        where = f"WC.{name}.QNAM.{qnam}"
        check = DEFINE.RangeCheck(Comparator="EQ", SoftHard="Soft", ItemOID=f"IT.{name}.QNAM")
        check.CheckValue = [DEFINE.CheckValue(_content=qnam)]
        mdv.WhereClauseDef.append(DEFINE.WhereClauseDef(OID=where, RangeCheck=[check]))
        item_oid = f"IT.{name}.QVAL.{qnam}"
        ref = DEFINE.ItemRef(ItemOID=item_oid, OrderNumber=number, Mandatory="Yes")
        ref.WhereClauseRef = [DEFINE.WhereClauseRef(WhereClauseOID=where)]
        value_list.ItemRef.append(ref)
        item = DEFINE.ItemDef(
            OID=item_oid, Name=qnam, DataType="text", Length=max(1, longest), SASFieldName=qnam
        )
        item.Description = _text(label)
        item.Origin = [DEFINE.Origin(Type=_ORIGIN.get(origin, "Collected"))]
        mdv.ItemDef.append(item)
    mdv.ValueListDef.append(value_list)
    return str(value_list.OID)
