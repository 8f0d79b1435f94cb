"""SUPPQUAL: supplemental qualifiers of a parent domain (SDTMIG 3.4, section 8.4).

One row per parent record and qualifier: ``IDVAR``/``IDVARVAL`` point at the parent's
``--SEQ``; ``QORIG`` says where the value comes from (CRF: collected, DERIVED: computed).
"""

from __future__ import annotations

from typing import Any

from oligotrial.interop.cdisc.dataset import Dataset, variables
from oligotrial.interop.cdisc.sdtm.common import domain

SUPP_VARS = variables(
    ("STUDYID", "Study Identifier"),
    ("RDOMAIN", "Related Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
    ("IDVAR", "Identifying Variable"),
    ("IDVARVAL", "Identifying Variable Value"),
    ("QNAM", "Qualifier Variable Name"),
    ("QLABEL", "Qualifier Variable Label"),
    ("QVAL", "Data Value"),
    ("QORIG", "Origin"),
    ("QEVAL", "Evaluator"),
)


def supp(
    parent: Dataset, qualifiers: dict[str, tuple[str, str]], values: list[dict[str, Any]]
) -> Dataset:
    """SUPP<parent> from ``values`` (rows of the parent holding USUBJID, --SEQ and one key
    per qualifier); ``qualifiers`` maps QNAM to (QLABEL, QORIG). Null values are left out."""
    seq = f"{parent.name}SEQ"
    study = parent.frame["STUDYID"].iloc[0] if len(parent.frame) else ""
    rows = [
        {
            "STUDYID": study,
            "RDOMAIN": parent.name,
            "USUBJID": row["USUBJID"],
            "IDVAR": seq,
            "IDVARVAL": str(row[seq]),
            "QNAM": qnam,
            "QLABEL": label,
            "QVAL": str(row[qnam]),
            "QORIG": origin,
            "QEVAL": None,
        }
        for row in values
        for qnam, (label, origin) in qualifiers.items()
        if row.get(qnam) is not None
    ]
    rows.sort(key=lambda r: (r["USUBJID"], int(r["IDVARVAL"]), r["QNAM"]))
    return domain(
        f"SUPP{parent.name}",
        f"Supplemental Qualifiers for {parent.name}",
        SUPP_VARS,
        rows,
        ("STUDYID", "RDOMAIN", "USUBJID", "IDVAR", "IDVARVAL", "QNAM"),
        "One record per IDVAR, IDVARVAL, and QNAM value per subject",
    )
