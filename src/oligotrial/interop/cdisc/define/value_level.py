"""Value-level metadata: what a result variable holds for each test (Define-XML 2.1, 5.3.6).

* SUPPQUAL: QVAL per QNAM (QLABEL as the description, QORIG as the origin);
* findings (LB, TU, TR, RS): ``--ORRES`` per ``--TESTCD`` (the test name as description).

Each value gets an ItemDef named after the variable, selected by a WhereClauseDef
(``QNAM EQ <name>`` or ``--TESTCD EQ <code>``), listed in the variable's ValueListDef.
"""

from __future__ import annotations

from typing import Any

import odmlib.define_2_1.model as DEFINE

from oligotrial.interop.cdisc.dataset import Dataset
from oligotrial.interop.cdisc.define import common

_ORIGIN = {"CRF": "Collected", "DERIVED": "Derived", "ASSIGNED": "Assigned"}


def _longest(values: Any) -> int:
    return max([len(str(v).encode("utf-8")) for v in values if isinstance(v, str)], default=1)


def _finding_origin(domain: str, test: str) -> str:
    """RS results and TR sums of diameters come from the response engine; the rest is read
    from the scans."""
    return "DERIVED" if domain == "RS" or (domain == "TR" and test == "SUMDIAM") else "CRF"


def slices(dataset: Dataset) -> tuple[str, str, list[tuple[str, str, str, int]]] | None:
    """(selecting variable, result variable, [(value, description, origin, length)]) of a
    data set with value-level metadata, else None."""
    frame = dataset.frame
    if frame.empty:
        return None
    if dataset.name.startswith("SUPP"):
        key, result, label, origin = "QNAM", "QVAL", "QLABEL", "QORIG"
    elif f"{dataset.name}TESTCD" in frame.columns and f"{dataset.name}ORRES" in frame.columns:
        key, result = f"{dataset.name}TESTCD", f"{dataset.name}ORRES"
        label, origin = f"{dataset.name}TEST", ""
    else:
        return None
    out = []
    for value in sorted(set(frame[key])):
        rows = frame[frame[key] == value]
        kind = str(rows[origin].iloc[0]) if origin else _finding_origin(dataset.name, value)
        out.append((str(value), str(rows[label].iloc[0]), kind, _longest(rows[result])))
    return key, result, out


def where_ref(
    mdv: Any, value_list: Any, name: str, key: str, value: str, result: str, number: int
) -> str:
    """Add to ``value_list`` the ItemRef of ``result`` where ``key`` EQ ``value`` (with its
    WhereClauseDef in ``mdv``); the OID of the value's ItemDef, which the caller adds."""
    where = f"WC.{name}.{key}.{value}"
    check = DEFINE.RangeCheck(Comparator="EQ", SoftHard="Soft", ItemOID=f"IT.{name}.{key}")
    check.CheckValue = [DEFINE.CheckValue(_content=value)]
    mdv.WhereClauseDef.append(DEFINE.WhereClauseDef(OID=where, RangeCheck=[check]))
    item_oid = f"IT.{name}.{result}.{value}"
    ref = DEFINE.ItemRef(ItemOID=item_oid, OrderNumber=number, Mandatory="No")
    ref.WhereClauseRef = [DEFINE.WhereClauseRef(WhereClauseOID=where)]
    value_list.ItemRef.append(ref)
    return item_oid


def add_value_level(mdv: Any, dataset: Dataset) -> tuple[str, str] | None:
    """Add the value list of ``dataset`` to ``mdv``: (result variable, ValueListDef OID)."""
    found = slices(dataset)
    if found is None:
        return None
    key, result, values = found
    name = dataset.name
    value_list = DEFINE.ValueListDef(OID=f"VL.{name}.{result}")
    for number, (value, label, origin, length) in enumerate(values, start=1):
        item_oid = where_ref(mdv, value_list, name, key, value, result, number)
        item_name = value if key == "QNAM" else result
        item = DEFINE.ItemDef(
            OID=item_oid, Name=item_name, DataType="text", Length=length, SASFieldName=item_name
        )
        item.Description = common.text(label)
        item.Origin = [DEFINE.Origin(Type=_ORIGIN.get(origin, "Collected"))]
        mdv.ItemDef.append(item)
    mdv.ValueListDef.append(value_list)
    return result, str(value_list.OID)
