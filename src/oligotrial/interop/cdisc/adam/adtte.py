"""ADTTE, time-to-event analysis data set (ADaM BDS for TTE, ADaM IG 1.3 and the ADaM
Basic Data Structure for Time-to-Event Analyses 1.0).

Parameters PFS, OS and DOR (responders only), AVAL in days (ADT - STARTDT + 1), CNSR 0 for
an event and the endpoint engine's censoring code otherwise (REFERENCE section 4).
EVNTDESC is set on every row: the event ("Disease progression", "Death") or, on censored
rows, the protocol's wording of the censoring reason; CNSDTDSC says which date the censored
row uses. SRCDOM/SRCVAR name the SDTM (or ADSL) variable ADT comes from; SRCSEQ, the
--SEQ of that SDTM record, is null until :func:`with_source_seq` fills it from the SDTM
domains built alongside.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from oligotrial.endpoints.derive import PatientEndpoints
from oligotrial.endpoints.settings import EndpointSettings
from oligotrial.endpoints.tte import TimeToEvent
from oligotrial.interop.cdisc.adam.context import (
    SUBJECT_VARIABLES,
    TREATMENT_VARIABLES,
    StudyContext,
    by_subject,
    subject_values,
)
from oligotrial.interop.cdisc.dataset import Dataset, frame_of, variables

#: PARAMCD -> (PARAMN, PARAM); the endpoint engine's parameters, AVAL in days.
PARAMETERS = {
    "PFS": (1, "Progression-Free Survival (days)"),
    "OS": (2, "Overall Survival (days)"),
    "DOR": (3, "Duration of Response (days)"),
}
#: What the date of a censored row is, by censoring code (OS: last known alive).
CENSOR_DATE = {
    1: "Randomization or first response date",
    2: "Date of last adequate tumour assessment",
    3: "Last adequate assessment before new therapy",
    4: "Last adequate assessment before the gap",
    5: "Last adequate assessment before withdrawal",
}

ADTTE_VARIABLES = (
    *SUBJECT_VARIABLES,
    *TREATMENT_VARIABLES,
    *variables(
        ("PARAM", "Parameter"),
        ("PARAMCD", "Parameter Code"),
        ("PARAMN", "Parameter (N)", "integer"),
        ("AVAL", "Analysis Value", "integer"),
        ("STARTDT", "Time-to-Event Origin Date for Subject", "date"),
        ("ADT", "Analysis Date", "date"),
        ("CNSR", "Censor", "integer"),
        ("EVNTDESC", "Event or Censoring Description"),
        ("CNSDTDSC", "Censor Date Description"),
        ("SRCDOM", "Source Data"),
        ("SRCVAR", "Source Variable"),
        ("SRCSEQ", "Source Sequence Number", "integer"),
        ("ITTFL", "Intent-To-Treat Population Flag"),
    ),
)


def _source(t: TimeToEvent, r: PatientEndpoints) -> tuple[str, str]:
    """(SRCDOM, SRCVAR) of ADT."""
    p = r.patient
    if t.event_description == "Death":
        return "DM", "DTHDTC"
    if t.cnsr == 0:
        return "RS", "RSDTC"
    if t.paramcd == "OS":
        return "ADSL", "LSTALVDT" if t.date == p.last_known_alive else "RANDDT"
    if t.date == p.randomization_date:
        return "ADSL", "RANDDT"
    return "RS", "RSDTC"


def adtte_row(
    t: TimeToEvent,
    r: PatientEndpoints,
    subject: Mapping[str, Any],
    ctx: StudyContext,
    settings: EndpointSettings,
) -> dict[str, Any]:
    paramn, param = PARAMETERS[t.paramcd]
    srcdom, srcvar = _source(t, r)
    if t.cnsr == 0:
        event, censor_date = t.event_description, None
    elif t.paramcd == "OS":
        event, censor_date = "Alive at last contact", "Date last known alive"
    else:
        event, censor_date = settings.reason(t.cnsr), CENSOR_DATE.get(t.cnsr)
    return {
        **subject_values(r, subject, ctx),
        "PARAM": param,
        "PARAMCD": t.paramcd,
        "PARAMN": paramn,
        "AVAL": t.days,
        "STARTDT": t.start_date,
        "ADT": t.date,
        "CNSR": t.cnsr,
        "EVNTDESC": event,
        "CNSDTDSC": censor_date,
        "SRCDOM": srcdom,
        "SRCVAR": srcvar,
        "SRCSEQ": None,
        "ITTFL": "Y",
    }


def adtte(
    results: Sequence[PatientEndpoints],
    subjects: Sequence[Mapping[str, Any]],
    ctx: StudyContext,
    settings: EndpointSettings,
) -> Dataset:
    """ADTTE: PFS, OS and DOR rows of every patient, in that order."""
    rows_by_id = by_subject(subjects)
    rows = [
        adtte_row(t, r, rows_by_id.get(r.patient.subject_id, {}), ctx, settings)
        for r in results
        for t in (r.pfs, r.os, r.dor)
        if t is not None
    ]
    return Dataset(
        "ADTTE",
        "Time-to-Event Analysis Dataset",
        ADTTE_VARIABLES,
        frame_of(rows, ADTTE_VARIABLES),
        keys=("STUDYID", "USUBJID", "PARAMCD"),
        structure="BDS",
        notes=(
            "AVAL in days, ADT - STARTDT + 1; CNSR codes as the protocol's censoring reasons.",
            "SRCSEQ is null: the --SEQ of the SDTM record is set where SDTM is built.",
        ),
    )


#: The --SEQ of an SDTM record: (domain, variable, USUBJID, date) -> --SEQ or None.
SeqLookup = Callable[[str, str, str, dt.date | None], int | None]


def with_source_seq(dataset: Dataset, lookup: SeqLookup) -> Dataset:
    """ADTTE with SRCSEQ filled from the SDTM domains built alongside (``lookup``); rows
    whose source is ADSL, or an SDTM record without --SEQ (DM), stay null."""
    frame = dataset.frame.copy()
    frame["SRCSEQ"] = [
        None if dom == "ADSL" else lookup(dom, var, usubjid, day)
        for dom, var, usubjid, day in zip(
            frame["SRCDOM"], frame["SRCVAR"], frame["USUBJID"], frame["ADT"], strict=True
        )
    ]
    return replace(dataset, frame=frame, notes=dataset.notes[:1])
