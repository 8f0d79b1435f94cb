"""ADaM data sets conformant to the ADaM IG 1.3: ADSL, ADTTE, ADRS, ADTR and ADAE.

All are built from the endpoint engine's results (:class:`oligotrial.endpoints.PatientEndpoints`,
one per randomized patient) and the database extract's subject rows (baseline and
treatment values), with the arms and strata of the protocol file. The report reads its
frames from them (:func:`report_frames`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from oligotrial.endpoints.derive import PatientEndpoints
from oligotrial.endpoints.settings import EndpointSettings
from oligotrial.interop.cdisc.adam.adae import adae
from oligotrial.interop.cdisc.adam.adrs import adrs, adtr
from oligotrial.interop.cdisc.adam.adsl import adsl
from oligotrial.interop.cdisc.adam.adtte import SeqLookup, adtte, with_source_seq
from oligotrial.interop.cdisc.adam.context import StudyContext
from oligotrial.interop.cdisc.adam.report_view import ReportFrames, report_frames
from oligotrial.interop.cdisc.dataset import Dataset
from oligotrial.protocol import Protocol

#: Variables the ADaM IG 1.3 (ADSL, BDS TTE) and OCCDS 1.1 (ADAE) require, by data set:
#: a null value is listed in the package's problems.csv.
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "ADSL": (
        "STUDYID",
        "USUBJID",
        "SUBJID",
        "SITEID",
        "AGE",
        "AGEU",
        "SEX",
        "RACE",
        "ARM",
        "ARMCD",
        "ACTARM",
        "ACTARMCD",
        "TRT01P",
        "ITTFL",
        "SAFFL",
        "RANDDT",
    ),
    "ADTTE": (
        "STUDYID",
        "USUBJID",
        "PARAM",
        "PARAMCD",
        "AVAL",
        "STARTDT",
        "ADT",
        "CNSR",
        "EVNTDESC",
    ),
    "ADRS": ("STUDYID", "USUBJID", "PARAM", "PARAMCD", "AVALC", "AVAL"),
    "ADTR": ("STUDYID", "USUBJID", "PARAM", "PARAMCD", "AVAL", "ADT"),
    "ADAE": ("STUDYID", "USUBJID", "AESEQ", "AETERM", "AEDECOD", "AEBODSYS", "ASTDT"),
}


def adam_datasets(
    results: Sequence[PatientEndpoints],
    subjects: Sequence[Mapping[str, Any]],
    protocol: Protocol,
) -> list[Dataset]:
    """ADSL, ADTTE, ADRS, ADTR, ADAE of one study, in that order."""
    ctx = StudyContext.of(protocol)
    settings = EndpointSettings.from_protocol(protocol.endpoints, protocol.schedule)
    return [
        adsl(results, subjects, ctx),
        adtte(results, subjects, ctx, settings),
        adrs(results, subjects, ctx, settings.schedule),
        adtr(results, subjects, ctx, settings.schedule),
        adae(results, subjects, ctx),
    ]


__all__ = [
    "REQUIRED",
    "ReportFrames",
    "SeqLookup",
    "StudyContext",
    "adam_datasets",
    "report_frames",
    "with_source_seq",
]
