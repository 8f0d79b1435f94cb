"""EX (systemic therapy exposure), PR (radiotherapy courses) and CM (new anticancer
therapy) from the database, with SUPPPR for the fractions and the biologically effective
dose of each course.

EX holds every recorded period of first- and second-line systemic therapy (a dose change
starts a new period), the first-line periods before randomization included (EXCAT tells
the line). --SEQ: by start date, then treatment name, then database row.
"""

from __future__ import annotations

from typing import Any

from oligotrial.interop.cdisc.dataset import Dataset, variables
from oligotrial.interop.cdisc.sdtm.common import Listing, domain, dtc, numbered, sort_key, study_day
from oligotrial.interop.cdisc.sdtm.epochs import epoch
from oligotrial.interop.cdisc.sdtm.source import Subject
from oligotrial.interop.cdisc.sdtm.supp import supp
from oligotrial.protocol import Protocol

LINES = {"FLST": "FIRST-LINE SYSTEMIC THERAPY", "SLST": "SECOND-LINE SYSTEMIC THERAPY"}
_ID = (
    ("STUDYID", "Study Identifier"),
    ("DOMAIN", "Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
)
EX_VARS = variables(
    *_ID,
    ("EXSEQ", "Sequence Number", "integer"),
    ("EXTRT", "Name of Treatment"),
    ("EXCAT", "Category of Treatment"),
    ("EXDOSE", "Dose", "float"),
    ("EXDOSU", "Dose Units"),
    ("EXADJ", "Reason for Dose Adjustment"),
    ("EPOCH", "Epoch"),
    ("EXSTDTC", "Start Date/Time of Treatment"),
    ("EXENDTC", "End Date/Time of Treatment"),
    ("EXSTDY", "Study Day of Start of Treatment", "integer"),
    ("EXENDY", "Study Day of End of Treatment", "integer"),
)
PR_VARS = variables(
    *_ID,
    ("PRSEQ", "Sequence Number", "integer"),
    ("PRLNKID", "Link ID"),
    ("PRTRT", "Reported Name of Procedure"),
    ("PRCAT", "Category"),
    ("PRDOSE", "Dose", "float"),
    ("PRDOSU", "Dose Units"),
    ("PRLOC", "Location of Procedure"),
    ("EPOCH", "Epoch"),
    ("PRSTDTC", "Start Date/Time of Procedure"),
    ("PRENDTC", "End Date/Time of Procedure"),
    ("PRSTDY", "Study Day of Start of Procedure", "integer"),
    ("PRENDY", "Study Day of End of Procedure", "integer"),
)
CM_VARS = variables(
    *_ID,
    ("CMSEQ", "Sequence Number", "integer"),
    ("CMTRT", "Reported Name of Drug, Med, or Therapy"),
    ("CMCAT", "Category for Medication"),
    ("EPOCH", "Epoch"),
    ("CMSTDTC", "Start Date/Time of Medication"),
    ("CMSTDY", "Study Day of Start of Medication", "integer"),
)
PR_QUALIFIERS = {
    "PRFRACN": ("Number of Fractions", "CRF"),
    "PRBED": ("Biologically Effective Dose (Gy)", "DERIVED"),
    "PRALFBET": ("Alpha/Beta Ratio Used for BED (Gy)", "CRF"),
}


def ex(subjects: list[Subject], protocol: Protocol, listing: Listing) -> Dataset:
    rows: list[dict[str, Any]] = []
    for s in subjects:
        ref = s.randomized_on
        for e in s.exposures:
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "USUBJID": s.usubjid,
                    "EXTRT": e.drug.upper(),
                    "EXCAT": LINES.get(e.line, e.line),
                    "EXDOSE": e.dose,
                    "EXDOSU": e.dose_unit.upper() or None,
                    "EXADJ": e.change_reason or None,
                    "EPOCH": epoch(s, e.start_date),
                    "EXSTDTC": dtc(e.start_date),
                    "EXENDTC": dtc(e.stop_date),
                    "EXSTDY": study_day(e.start_date, ref),
                    "EXENDY": study_day(e.stop_date, ref),
                    "_id": e.id,
                }
            )
    rows = numbered(rows, "EX", lambda r: sort_key(r["EXSTDTC"], r["EXTRT"], r["_id"]))
    return domain(
        "EX",
        "Exposure",
        EX_VARS,
        rows,
        ("STUDYID", "USUBJID", "EXTRT", "EXSTDTC"),
        "One record per constant dosing interval per subject",
    )


def pr(subjects: list[Subject], protocol: Protocol, listing: Listing) -> tuple[Dataset, Dataset]:
    """PR and SUPPPR: one record per radiotherapy course (total dose in Gy)."""
    rows: list[dict[str, Any]] = []
    for s in subjects:
        ref = s.randomized_on
        for c in s.rt_courses:
            if c.end_date is None:
                listing.add("PR", s.usubjid, f"radiotherapy course {c.id}", "end_date", "missing")
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "USUBJID": s.usubjid,
                    "PRLNKID": c.lesion.code if c.lesion else None,
                    "PRTRT": "RADIOTHERAPY",
                    "PRCAT": "RADIOTHERAPY TO OLIGOPROGRESSIVE LESIONS",
                    "PRDOSE": c.total_dose_gy,
                    "PRDOSU": "Gy",
                    "PRLOC": c.target_site.upper()[:200],
                    "EPOCH": epoch(s, c.start_date),
                    "PRSTDTC": dtc(c.start_date),
                    "PRENDTC": dtc(c.end_date),
                    "PRSTDY": study_day(c.start_date, ref),
                    "PRENDY": study_day(c.end_date, ref),
                    "PRFRACN": c.fractions,
                    "PRBED": round(c.bed_gy, 2),
                    "PRALFBET": c.alpha_beta_gy,
                    "_id": c.id,
                }
            )
    rows = numbered(rows, "PR", lambda r: sort_key(r["PRSTDTC"], r["_id"]))
    parent = domain(
        "PR",
        "Procedures",
        PR_VARS,
        rows,
        ("STUDYID", "USUBJID", "PRTRT", "PRSTDTC"),
        "One record per radiotherapy course per subject",
    )
    return parent, supp(parent, PR_QUALIFIERS, rows)


def cm(subjects: list[Subject], protocol: Protocol, listing: Listing) -> Dataset:
    rows: list[dict[str, Any]] = []
    for s in subjects:
        for t in s.therapies:
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "USUBJID": s.usubjid,
                    "CMTRT": t.therapy.upper(),
                    "CMCAT": "NEW ANTICANCER THERAPY",
                    "EPOCH": epoch(s, t.start_date),
                    "CMSTDTC": dtc(t.start_date),
                    "CMSTDY": study_day(t.start_date, s.randomized_on),
                    "_id": t.id,
                }
            )
    rows = numbered(rows, "CM", lambda r: sort_key(r["CMSTDTC"], r["CMTRT"], r["_id"]))
    return domain(
        "CM",
        "Concomitant/Concurrent Medications",
        CM_VARS,
        rows,
        ("STUDYID", "USUBJID", "CMTRT", "CMSTDTC"),
        "One record per recorded new anticancer therapy per subject",
    )
