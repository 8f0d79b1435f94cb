"""AE (adverse events, with SUPPAE for attribution to each treatment) and MH (medical
history from the screening record in force).

AEDECOD and AEBODSYS are the CTCAE v5.0 term and its system organ class, AESOC the same
MedDRA system organ class CTCAE assigns the term (its primary SOC, the one analysed), and
AELLTCD the MedDRA code CTCAE gives the term: the trial codes adverse events with CTCAE,
MedDRA itself needs a licence (define.xml says so). AEREL is the strongest attribution to
any protocol treatment; SUPPAE keeps the attribution to radiotherapy, first- and second-
line therapy.
--SEQ: AE by onset date, then term, then database row; MH by start date, then term.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oligotrial.clinical.ctcae_terms import NOT_CODED, find_term
from oligotrial.interop.cdisc.dataset import Dataset, variables
from oligotrial.interop.cdisc.sdtm import terminology as ct
from oligotrial.interop.cdisc.sdtm.common import Listing, domain, dtc, numbered, sort_key, study_day
from oligotrial.interop.cdisc.sdtm.epochs import epoch
from oligotrial.interop.cdisc.sdtm.source import Subject
from oligotrial.interop.cdisc.sdtm.supp import supp
from oligotrial.protocol import Protocol

_ID = (
    ("STUDYID", "Study Identifier"),
    ("DOMAIN", "Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
)
AE_VARS = variables(
    *_ID,
    ("AESEQ", "Sequence Number", "integer"),
    ("AETERM", "Reported Term for the Adverse Event"),
    ("AELLTCD", "Lowest Level Term Code", "integer"),
    ("AEDECOD", "Dictionary-Derived Term"),
    ("AEBODSYS", "Body System or Organ Class"),
    ("AESOC", "Primary System Organ Class"),
    ("AESER", "Serious Event"),
    ("AEREL", "Causality"),
    ("AEOUT", "Outcome of Adverse Event"),
    ("AESCONG", "Congenital Anomaly or Birth Defect"),
    ("AESDISAB", "Persist or Signif Disability/Incapacity"),
    ("AESDTH", "Results in Death"),
    ("AESHOSP", "Requires or Prolongs Hospitalization"),
    ("AESLIFE", "Is Life Threatening"),
    ("AESMIE", "Other Medically Important Serious Event"),
    ("AETOXGR", "Standard Toxicity Grade"),
    ("EPOCH", "Epoch"),
    ("AESTDTC", "Start Date/Time of Adverse Event"),
    ("AEENDTC", "End Date/Time of Adverse Event"),
    ("AESTDY", "Study Day of Start of Adverse Event", "integer"),
    ("AEENDY", "Study Day of End of Adverse Event", "integer"),
)
MH_VARS = variables(
    *_ID,
    ("MHSEQ", "Sequence Number", "integer"),
    ("MHTERM", "Reported Term for the Medical History"),
    ("MHCAT", "Category for Medical History"),
    ("MHPRESP", "Medical History Event Pre-Specified"),
    ("MHOCCUR", "Medical History Occurrence"),
    ("MHSTDTC", "Start Date/Time of Medical History Event"),
    ("MHSTDY", "Study Day of Start of Observation", "integer"),  # FDA FB3202
)
AE_QUALIFIERS = {
    "AERELRT": ("Causality to Radiotherapy", "CRF"),
    "AERELFL": ("Causality to First-Line Therapy", "CRF"),
    "AERELSL": ("Causality to Second-Line Therapy", "CRF"),
}
_STRONGEST = ("definite", "probable", "possible", "unlikely", "unrelated")
#: screening-record flags reported as pre-specified history (MHPRESP = Y)
_HISTORY_FLAGS = {
    "organ_transplant": "ORGAN TRANSPLANT",
    "autoimmune_disease": "AUTOIMMUNE DISEASE",
}


def _relation(attributions: set[str]) -> str:
    strongest = next((a for a in _STRONGEST if a in attributions), "not_applicable")
    return ct.CAUSALITY[strongest]


def _applicable(attribution: str) -> str | None:
    """The causality to one treatment; None (no SUPPAE record) when not applicable."""
    return None if attribution == "not_applicable" else ct.CAUSALITY[attribution]


#: SDTM seriousness criterion variables and the AE record's ICH E2A fields
CRITERIA = {
    "AESCONG": "sae_congenital_anomaly",
    "AESDISAB": "sae_disability",
    "AESDTH": "sae_death",
    "AESHOSP": "sae_hospitalisation",
    "AESLIFE": "sae_life_threatening",
    "AESMIE": "sae_medically_important",
}


def _seriousness(a: Any, usubjid: str, listing: Listing) -> dict[str, str | None]:
    """AESER and the criteria AESCONG ... AESMIE (SDTMIG 3.4, 6.2.1 assumption 6a): Y / N
    from the record's ICH E2A criteria when the event is serious, null when it is not (the
    form asks them only of serious events). A fatal event is serious and results in death
    (ICH E2A) whatever a record made before the rule said (the mismatch is listed), and a
    serious event recorded before the criteria were collected is listed without one."""
    fatal = a.outcome == "fatal" or a.grade == 5
    record = f"adverse event {a.id}"
    if fatal and not a.serious:
        listing.add("AE", usubjid, record, "serious", "not ticked for a fatal event")
    serious = a.serious or fatal
    met = {var: bool(getattr(a, name)) for var, name in CRITERIA.items()}
    met["AESDTH"] = met["AESDTH"] or fatal
    if serious and not any(met.values()):
        listing.add(
            "AE", usubjid, record, "seriousness criteria", "none ticked for a serious event"
        )
    return {
        "AESER": ct.NY[serious].value,
        **{var: ct.NY[m].value if serious else None for var, m in met.items()},
    }


def ae(subjects: list[Subject], protocol: Protocol, listing: Listing) -> tuple[Dataset, Dataset]:
    rows: list[dict[str, Any]] = []
    for s in subjects:
        ref = s.randomized_on
        for a in s.adverse_events:
            term = find_term(a.term)
            if term is None:
                listing.add(
                    "AE",
                    s.usubjid,
                    f"adverse event {a.id}",
                    "term",
                    f"{a.term!r} is not a CTCAE v5.0 term; AEDECOD not coded",
                )
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "USUBJID": s.usubjid,
                    "AETERM": a.term,
                    "AELLTCD": term.meddra_code if term else None,
                    "AEDECOD": term.term if term else a.term,
                    "AEBODSYS": term.soc if term else NOT_CODED,
                    "AESOC": term.soc if term else NOT_CODED,
                    **_seriousness(a, s.usubjid, listing),
                    "AEREL": _relation({a.related_rt, a.related_flst, a.related_slst}),
                    "AEOUT": ct.AE_OUTCOME[a.outcome].value,
                    "AETOXGR": str(a.grade),
                    "EPOCH": epoch(s, a.onset_date),
                    "AESTDTC": dtc(a.onset_date),
                    "AEENDTC": dtc(a.resolved_date),
                    "AESTDY": study_day(a.onset_date, ref),
                    "AEENDY": study_day(a.resolved_date, ref),
                    "AERELRT": _applicable(a.related_rt),
                    "AERELFL": _applicable(a.related_flst),
                    "AERELSL": _applicable(a.related_slst),
                    "_id": a.id,
                }
            )
    rows = numbered(rows, "AE", lambda r: sort_key(r["AESTDTC"], r["AEDECOD"], r["_id"]))
    parent = domain(
        "AE",
        "Adverse Events",
        AE_VARS,
        rows,
        ("STUDYID", "USUBJID", "AEDECOD", "AESTDTC"),
        "One record per adverse event per subject",
    )
    return parent, supp(parent, AE_QUALIFIERS, rows)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _history(record: dict[str, Any]) -> list[tuple[str, str, str | None, str | None]]:
    """(term, category, pre-specified, start) from a stored screening record."""
    out: list[tuple[str, str, str | None, str | None]] = []
    diagnosis = record.get("diagnosis") or {}
    out.append(("HEPATOCELLULAR CARCINOMA", "PRIMARY DIAGNOSIS", None, diagnosis.get("date")))
    hbv = record.get("hbv") or {}
    if hbv.get("hbsag_positive") is not None:
        present = "Y" if hbv["hbsag_positive"] else "N"
        out.append(
            ("CHRONIC HEPATITIS B (HBSAG POSITIVE)", "GENERAL MEDICAL HISTORY", present, None)
        )
    history = record.get("history") or {}
    for key, term in _HISTORY_FLAGS.items():
        if history.get(key) is not None:
            out.append((term, "GENERAL MEDICAL HISTORY", "Y" if history[key] else "N", None))
    for m in history.get("other_malignancies") or ():
        out.append(
            (str(m.get("diagnosis", "")).upper(), "OTHER MALIGNANCY", None, m.get("diagnosis_date"))
        )
    return out


def mh(subjects: list[Subject], protocol: Protocol, listing: Listing) -> Dataset:
    """Primary diagnosis, hepatitis B, transplant, autoimmune disease and other cancers as
    the screening record in force gives them (pre-specified questions carry MHPRESP/MHOCCUR)."""
    rows: list[dict[str, Any]] = []
    for s in subjects:
        record = s.screening.record if s.screening is not None else None
        if not isinstance(record, dict):
            listing.add("MH", s.usubjid, "screening", "record", "no stored screening record")
            continue
        for term, category, occurred, start in _history(record):
            if category == "PRIMARY DIAGNOSIS" and _day(start) is None:
                listing.add("MH", s.usubjid, "screening", "diagnosis.date", "missing")
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "USUBJID": s.usubjid,
                    "MHTERM": term,
                    "MHCAT": category,
                    "MHPRESP": "Y" if occurred else None,
                    "MHOCCUR": occurred,
                    "MHSTDTC": dtc(_day(start)),
                    "MHSTDY": study_day(_day(start), s.randomized_on),
                }
            )
    rows = numbered(rows, "MH", lambda r: sort_key(r["MHSTDTC"], r["MHTERM"]))
    return domain(
        "MH",
        "Medical History",
        MH_VARS,
        rows,
        ("STUDYID", "USUBJID", "MHTERM", "MHSTDTC"),
        "One record per medical history event per subject",
    )
