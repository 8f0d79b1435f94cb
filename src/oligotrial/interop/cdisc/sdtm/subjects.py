"""DM (demographics), DS (disposition) and SV (subject visits) from the database.

DM: one row per subject (consented or randomized). ``RFSTDTC`` is the randomization date;
``RFXSTDTC``/``RFXENDTC`` the first start and last end of protocol treatment after
randomization (EX and PR); ``RFPENDTC`` the end of participation (death, withdrawal, or the
last date any record holds). ``AGE`` at informed consent from the birth date, else the age
the eligibility engine derived from the screening record. The database holds no race,
ethnicity: those are null and named in the listing of missing data. ``COUNTRY`` is the
ISO 3166-1 alpha-3 code of the subject's site (CDISC codelist COUNTRY, C66786).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oligotrial.interop.cdisc.dataset import Dataset, variables
from oligotrial.interop.cdisc.sdtm import terminology as ct
from oligotrial.interop.cdisc.sdtm.common import (
    Listing,
    domain,
    dtc,
    numbered,
    sort_key,
    study_day,
)
from oligotrial.interop.cdisc.sdtm.epochs import epoch, treatment_dates
from oligotrial.interop.cdisc.sdtm.source import Subject
from oligotrial.interop.cdisc.sdtm.visit_names import visit_name
from oligotrial.protocol import Protocol

DM_VARS = variables(
    ("STUDYID", "Study Identifier"),
    ("DOMAIN", "Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
    ("SUBJID", "Subject Identifier for the Study"),
    ("RFSTDTC", "Subject Reference Start Date/Time"),
    ("RFENDTC", "Subject Reference End Date/Time"),
    ("RFXSTDTC", "Date/Time of First Study Treatment"),
    ("RFXENDTC", "Date/Time of Last Study Treatment"),
    ("RFICDTC", "Date/Time of Informed Consent"),
    ("RFPENDTC", "Date/Time of End of Participation"),
    ("DTHDTC", "Date/Time of Death"),
    ("DTHFL", "Subject Death Flag"),
    ("SITEID", "Study Site Identifier"),
    ("BRTHDTC", "Date/Time of Birth"),
    ("AGE", "Age", "integer"),
    ("AGEU", "Age Units"),
    ("SEX", "Sex"),
    ("RACE", "Race"),
    ("ARMCD", "Planned Arm Code"),
    ("ARM", "Description of Planned Arm"),
    ("ACTARMCD", "Actual Arm Code"),
    ("ACTARM", "Description of Actual Arm"),
    ("ARMNRS", "Reason Arm and/or Actual Arm is Null"),
    ("COUNTRY", "Country"),
)
DS_VARS = variables(
    ("STUDYID", "Study Identifier"),
    ("DOMAIN", "Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
    ("DSSEQ", "Sequence Number", "integer"),
    ("DSTERM", "Reported Term for the Disposition Event"),
    ("DSDECOD", "Standardized Disposition Term"),
    ("DSCAT", "Category for Disposition Event"),
    ("EPOCH", "Epoch"),
    ("DSSTDTC", "Start Date/Time of Disposition Event"),
    ("DSSTDY", "Study Day of Start of Disposition Event", "integer"),
)
SV_VARS = variables(
    ("STUDYID", "Study Identifier"),
    ("DOMAIN", "Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
    ("VISITNUM", "Visit Number", "float"),
    ("VISIT", "Visit Name"),
    ("SVPRESP", "Pre-specified"),
    ("SVOCCUR", "Occurrence"),
    ("SVSTDTC", "Start Date/Time of Visit"),
    ("SVENDTC", "End Date/Time of Visit"),
    ("SVSTDY", "Study Day of Start of Visit", "integer"),
    ("SVENDY", "Study Day of End of Visit", "integer"),
)


def _last_date(s: Subject) -> dt.date | None:
    days: list[dt.date | None] = [v.visit_date for v in s.visits]
    days += [lab.sampled_on for lab in s.labs] + [m.measured_on for m in s.measurements]
    days += [a.onset_date for a in s.adverse_events] + [a.resolved_date for a in s.adverse_events]
    days += [e.stop_date or e.start_date for e in s.exposures]
    return max((d for d in days if d is not None), default=None)


def _age(s: Subject) -> int | None:
    born, signed = s.patient.birth_date, s.consent.signed_on if s.consent else None
    if born is not None and signed is not None:
        return signed.year - born.year - ((signed.month, signed.day) < (born.month, born.day))
    fact = (s.screening.facts or {}).get("age_at_consent_years") if s.screening else None
    return int(fact) if isinstance(fact, int | float) else None


def _arm_null_reason(s: Subject) -> str | None:
    """ARMNRS: null once randomized; SCREEN FAILURE, or NOT ASSIGNED while in screening."""
    if s.arm is not None:
        return None
    return ct.SCREEN_FAILURE.value if s.patient.status == "screen_failed" else "NOT ASSIGNED"


def dm(subjects: list[Subject], protocol: Protocol, listing: Listing) -> Dataset:
    arms = {a.code: a.name for a in protocol.arms}
    rows: list[dict[str, Any]] = []
    for s in subjects:
        p, ref = s.patient, s.randomized_on
        first, last = treatment_dates(s)
        end = (
            s.death.death_date
            if s.death
            else s.withdrawal.effective_date
            if s.withdrawal
            else _last_date(s)
        )
        age = _age(s)
        if age is None:
            listing.add("DM", s.usubjid, "patient", "AGE", "no birth date and no age at consent")
        if s.consent is None:
            listing.add("DM", s.usubjid, "consent", "RFICDTC", "no consent record")
        if p.sex not in ("F", "M"):
            listing.add("DM", s.usubjid, "patient", "SEX", "not recorded (U)")
        arm = s.arm
        rows.append(
            {
                "STUDYID": protocol.id,
                "USUBJID": s.usubjid,
                "SUBJID": s.usubjid,
                "RFSTDTC": dtc(ref),
                "RFENDTC": dtc(last),
                "RFXSTDTC": dtc(first),
                "RFXENDTC": dtc(last),
                "RFICDTC": dtc(s.consent.signed_on) if s.consent else None,
                "RFPENDTC": dtc(end),
                "DTHDTC": dtc(s.death.death_date) if s.death else None,
                "DTHFL": "Y" if s.death else None,
                "SITEID": p.site.code,
                "BRTHDTC": dtc(p.birth_date),
                "AGE": age,
                "AGEU": "YEARS" if age is not None else None,
                "SEX": ct.SEX[p.sex].value if p.sex in ct.SEX else "U",
                "ARMCD": arm,
                "ARM": arms.get(arm) if arm else None,
                "ACTARMCD": arm,
                "ACTARM": arms.get(arm) if arm else None,
                "ARMNRS": _arm_null_reason(s),
                "COUNTRY": p.site.country or None,
            }
        )
        if not p.site.country:
            listing.add("DM", s.usubjid, f"site {p.site.code}", "COUNTRY", "not recorded")
    if subjects:
        listing.add("DM", "", "patient", "RACE", "not collected by the data-capture forms")
    return domain(
        "DM", "Demographics", DM_VARS, rows, ("STUDYID", "USUBJID"), "One record per subject"
    )


def _ds_row(
    s: Subject, study: str, term: str, decod: str, cat: str, day: dt.date | None
) -> dict[str, Any]:
    return {
        "STUDYID": study,
        "USUBJID": s.usubjid,
        "DSTERM": term,
        "DSDECOD": decod,
        "DSCAT": cat,
        "EPOCH": epoch(s, day),
        "DSSTDTC": dtc(day),
        "DSSTDY": study_day(day, s.randomized_on),
    }


def ds(subjects: list[Subject], protocol: Protocol, listing: Listing) -> Dataset:
    """Consent and randomization (protocol milestones), screen failure, death, withdrawal."""
    rows: list[dict[str, Any]] = []
    for s in subjects:
        milestone, event = "PROTOCOL MILESTONE", "DISPOSITION EVENT"
        if s.consent is not None:
            rows.append(
                _ds_row(
                    s,
                    protocol.id,
                    "INFORMED CONSENT OBTAINED",
                    "INFORMED CONSENT OBTAINED",
                    milestone,
                    s.consent.signed_on,
                )
            )
        if s.randomized_on is not None:
            rows.append(
                _ds_row(s, protocol.id, "RANDOMIZED", "RANDOMIZED", milestone, s.randomized_on)
            )
        elif s.patient.status == "screen_failed":
            day = s.screening.screened_on if s.screening else None
            rows.append(
                _ds_row(s, protocol.id, "SCREEN FAILURE", ct.SCREEN_FAILURE.value, event, day)
            )
        if s.withdrawal is not None:
            w = s.withdrawal
            decod = ct.LOST if w.kind == "lost" else ct.WITHDREW
            rows.append(
                _ds_row(
                    s,
                    protocol.id,
                    (w.reason or decod.decode).upper()[:200],
                    decod.value,
                    event,
                    w.effective_date,
                )
            )
        if s.death is not None:
            term = f"DEATH ({s.death.get_cause_display()})".upper()
            rows.append(_ds_row(s, protocol.id, term, ct.DEATH.value, event, s.death.death_date))
    rows = numbered(rows, "DS", lambda r: sort_key(r["DSSTDTC"], r["DSDECOD"]))
    return domain(
        "DS",
        "Disposition",
        DS_VARS,
        rows,
        ("STUDYID", "USUBJID", "DSSEQ"),
        "One record per disposition status or protocol milestone per subject",
    )


def sv(subjects: list[Subject], protocol: Protocol, listing: Listing) -> Dataset:
    """Visits done (SVOCCUR Y) and missed (SVOCCUR N); scheduled future visits are left out."""
    rows: list[dict[str, Any]] = []
    for s in subjects:
        for v in s.visits:
            if v.status == "scheduled":
                continue
            if v.status == "done" and v.visit_date is None:
                listing.add(
                    "SV", s.usubjid, f"visit {v.number}", "visit_date", "missing for a visit done"
                )
            day = v.visit_date if v.status == "done" else None
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "USUBJID": s.usubjid,
                    "VISITNUM": v.number,
                    "VISIT": visit_name(v.number, protocol),
                    "SVPRESP": "Y" if v.kind != "unscheduled" else None,
                    "SVOCCUR": "Y" if v.status == "done" else "N",
                    "SVSTDTC": dtc(day),
                    "SVENDTC": dtc(day),
                    "SVSTDY": study_day(day, s.randomized_on),
                    "SVENDY": study_day(day, s.randomized_on),
                }
            )
    rows.sort(key=lambda r: (r["USUBJID"], r["VISITNUM"]))
    return domain(
        "SV",
        "Subject Visits",
        SV_VARS,
        rows,
        ("STUDYID", "USUBJID", "VISITNUM"),
        "One record per subject per actual or planned visit",
    )
