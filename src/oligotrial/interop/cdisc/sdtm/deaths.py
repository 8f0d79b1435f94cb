"""DD (death details) and the agreement of a death with its adverse events.

SDTMIG 3.4: a death is a disposition event (DS, DSDECOD DEATH), its date is DM.DTHDTC,
and the details collected about it go to DD (Death Details; DDTESTCD PRCDTH, the
primary cause of death, C99531; EPOCH from the date of death, as the database records no
separate date of collection). An adverse event records death only as its outcome
(AEOUT FATAL, AESDTH Y) when the event caused it; a death from disease progression, the
trial's efficacy endpoint, is not an adverse event (the protocol reports progression
through RS, not AE) and is documented by DS and DD alone. FDA business rule FB0609
(CORE-001078) asks for a fatal AE for every death: it is met for the deaths whose cause is
an adverse event; a death so recorded without a fatal AE, or a fatal AE without a death
record, is named in the listing of missing data rather than invented.
"""

from __future__ import annotations

from typing import Any

from oligotrial.interop.cdisc.dataset import Dataset, variables
from oligotrial.interop.cdisc.sdtm import terminology as ct
from oligotrial.interop.cdisc.sdtm.common import Listing, domain, numbered, sort_key
from oligotrial.interop.cdisc.sdtm.epochs import epoch
from oligotrial.interop.cdisc.sdtm.source import Subject
from oligotrial.protocol import Protocol

DD_VARS = variables(
    ("STUDYID", "Study Identifier"),
    ("DOMAIN", "Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
    ("DDSEQ", "Sequence Number", "integer"),
    ("DDTESTCD", "Death Detail Assessment Short Name"),
    ("DDTEST", "Death Detail Assessment Name"),
    ("DDORRES", "Result or Finding as Collected"),
    ("DDSTRESC", "Character Result/Finding in Std Format"),
    ("EPOCH", "Epoch"),
)


def check_deaths(subjects: list[Subject], listing: Listing) -> None:
    """List a death caused by an adverse event without a fatal AE, and a fatal AE without
    a death record (the two must agree; nothing is added to either)."""
    for s in subjects:
        fatal = [a for a in s.adverse_events if a.outcome == "fatal"]
        if s.death is not None and s.death.cause == "adverse_event" and not fatal:
            listing.add(
                "AE",
                s.usubjid,
                "death",
                "outcome",
                "death caused by an adverse event, but no adverse event has a fatal outcome",
            )
        if s.death is None and fatal:
            listing.add(
                "DS",
                s.usubjid,
                f"adverse event {fatal[0].id}",
                "death",
                "fatal adverse event without a death record",
            )


def dd(subjects: list[Subject], protocol: Protocol, listing: Listing) -> Dataset:
    """One PRCDTH record per death: the cause as the death form records it."""
    check_deaths(subjects, listing)
    rows: list[dict[str, Any]] = []
    for s in subjects:
        if s.death is None:
            continue
        cause = str(s.death.get_cause_display()).upper()
        rows.append(
            {
                "STUDYID": protocol.id,
                "USUBJID": s.usubjid,
                "DDTESTCD": ct.PRIMARY_CAUSE_OF_DEATH.value,
                "DDTEST": ct.PRIMARY_CAUSE_OF_DEATH.decode,
                "DDORRES": cause,
                "DDSTRESC": cause,
                "EPOCH": epoch(s, s.death.death_date),
            }
        )
    rows = numbered(rows, "DD", lambda r: sort_key(r["DDTESTCD"]))
    return domain(
        "DD",
        "Death Details",
        DD_VARS,
        rows,
        ("STUDYID", "USUBJID", "DDTESTCD"),
        "One record per death detail per subject",
    )
