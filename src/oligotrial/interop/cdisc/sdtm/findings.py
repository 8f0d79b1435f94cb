"""LB (laboratory results) from the database.

Original results in the site's unit (LBORRES/LBORRESU, the site's reference range); the
standard results in the canonical unit of each analyte, converted by
:func:`oligotrial.clinical.units.to_canonical` (the one place the factors live), with the
range converted alike. Units as CDISC UNIT terms. LBLOBXFL marks the last result of each
test on or before the reference start. --SEQ: by date, then test code, then database row.
"""

from __future__ import annotations

from typing import Any

from oligotrial.clinical.units import ANALYTES, CANONICAL_UNITS, normalize_unit, to_canonical
from oligotrial.errors import InputError
from oligotrial.interop.cdisc.dataset import Dataset, variables
from oligotrial.interop.cdisc.sdtm import terminology as ct
from oligotrial.interop.cdisc.sdtm.common import Listing, domain, dtc, numbered, sort_key, study_day
from oligotrial.interop.cdisc.sdtm.epochs import epoch
from oligotrial.interop.cdisc.sdtm.source import Subject
from oligotrial.interop.cdisc.sdtm.visit_names import visit_name
from oligotrial.protocol import Protocol

LB_VARS = variables(
    ("STUDYID", "Study Identifier"),
    ("DOMAIN", "Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
    ("LBSEQ", "Sequence Number", "integer"),
    ("LBTESTCD", "Lab Test or Examination Short Name"),
    ("LBTEST", "Lab Test or Examination Name"),
    ("LBORRES", "Result or Finding in Original Units"),
    ("LBORRESU", "Original Units"),
    ("LBORNRLO", "Reference Range Lower Limit in Orig Unit"),
    ("LBORNRHI", "Reference Range Upper Limit in Orig Unit"),
    ("LBSTRESC", "Character Result/Finding in Std Format"),
    ("LBSTRESN", "Numeric Result/Finding in Standard Units", "float"),
    ("LBSTRESU", "Standard Units"),
    ("LBSTNRLO", "Reference Range Lower Limit-Std Units", "float"),
    ("LBSTNRHI", "Reference Range Upper Limit-Std Units", "float"),
    ("LBNRIND", "Reference Range Indicator"),
    ("LBSTAT", "Completion Status"),
    ("LBREASND", "Reason Test Not Done"),
    ("LBLOBXFL", "Last Observation Before Exposure Flag"),
    ("VISITNUM", "Visit Number", "float"),
    ("VISIT", "Visit Name"),
    ("EPOCH", "Epoch"),
    ("LBDTC", "Date/Time of Specimen Collection"),
    ("LBDY", "Study Day of Specimen Collection", "integer"),
)
_UNIT_TERMS = {normalize_unit(k): t for k, t in ct.UNITS.items()}


def _unit(spelling: str) -> str | None:
    if not spelling or spelling == "(unitless)":
        return None
    term = _UNIT_TERMS.get(normalize_unit(spelling))
    return term.value if term else spelling


def _num(value: float | None) -> str | None:
    """A number as text with every digit it holds (the shortest exact form: LBSTRESC must
    equal LBSTRESN, CORE-000542), without a trailing ".0"."""
    if value is None:
        return None
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _standard(analyte: str, value: float | None, unit: str) -> float | None:
    """The value in the analyte's canonical unit; unchanged for an analyte the unit table
    does not convert (its standard unit is then the unit as collected)."""
    if value is None or analyte not in ANALYTES:
        return value
    return to_canonical(analyte, value, unit or None)


def lb(subjects: list[Subject], protocol: Protocol, listing: Listing) -> Dataset:
    rows: list[dict[str, Any]] = []
    for s in subjects:
        ref = s.randomized_on
        for lab in s.labs:
            test = ct.LAB_TESTS.get(lab.analyte)
            if test is None:
                listing.add(
                    "LB", s.usubjid, f"lab {lab.id}", "analyte", f"{lab.analyte!r} has no LBTESTCD"
                )
                continue
            try:
                value = _standard(lab.analyte, lab.value, lab.unit)
                low = _standard(lab.analyte, lab.reference_low, lab.unit)
                high = _standard(lab.analyte, lab.reference_high, lab.unit)
            except InputError as exc:
                listing.add("LB", s.usubjid, f"lab {lab.id}", "unit", exc.problem)
                continue
            if lab.value is None:
                listing.add("LB", s.usubjid, f"lab {lab.id}", "value", "missing")
            indicator = None
            if value is not None and low is not None and value < low:
                indicator = "LOW"
            elif value is not None and high is not None and value > high:
                indicator = "HIGH"
            elif value is not None and (low is not None or high is not None):
                indicator = "NORMAL"
            visit = lab.visit
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "USUBJID": s.usubjid,
                    "LBTESTCD": test.value,
                    "LBTEST": test.decode,
                    "LBORRES": _num(lab.value),
                    "LBORRESU": _unit(lab.unit),
                    "LBORNRLO": _num(lab.reference_low),
                    "LBORNRHI": _num(lab.reference_high),
                    "LBSTRESC": _num(value),
                    "LBSTRESN": value,
                    "LBSTRESU": _unit(CANONICAL_UNITS.get(lab.analyte, lab.unit)),
                    "LBSTNRLO": low,
                    "LBSTNRHI": high,
                    "LBNRIND": indicator,
                    "LBSTAT": "NOT DONE" if lab.value is None else None,
                    "LBREASND": "RESULT NOT RECORDED" if lab.value is None else None,
                    "VISITNUM": visit.number if visit else None,
                    "VISIT": visit_name(visit.number, protocol) if visit else None,
                    "EPOCH": epoch(s, lab.sampled_on),
                    "LBDTC": dtc(lab.sampled_on),
                    "LBDY": study_day(lab.sampled_on, ref),
                    "_date": lab.sampled_on,
                    "_ref": ref,
                    "_id": lab.id,
                }
            )
    rows = numbered(rows, "LB", lambda r: sort_key(r["LBDTC"], r["LBTESTCD"], r["_id"]))
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:  # in date order within each subject
        if row["_ref"] is not None and row["_date"] <= row["_ref"] and row["LBSTRESN"] is not None:
            last[(row["USUBJID"], row["LBTESTCD"])] = row
    for row in last.values():
        row["LBLOBXFL"] = "Y"
    return domain(
        "LB",
        "Laboratory Test Results",
        LB_VARS,
        rows,
        ("STUDYID", "USUBJID", "LBTESTCD", "LBDTC"),
        "One record per lab test per time point per visit per subject",
    )
