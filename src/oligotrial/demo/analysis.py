"""Analysis data sets from a trial database, and the report inputs built from them.

The database extract (:func:`oligotrial.edc.export.extract`, read-only, as a statistician)
goes through the endpoint engine (:func:`oligotrial.endpoints.derive.derive_all`: RECIST
1.1 responses, PFS/OS/DOR with the protocol's censoring rules) into the ADaM data sets
ADSL, ADTTE, ADRS, ADTR and ADAE (:mod:`oligotrial.interop.cdisc.adam`, with the database's
baseline and treatment values in ADSL); the report's frames are read from those.
``oligotrial demo``, ``oligotrial report --database`` and ``oligotrial export cdisc`` all
use this one path.

What depends on progression is completed here, from the derived responses (the first time
point the response engine calls PD): the reason treatment ended (DCTREAS: the event on the
day treatment stopped — progression, death, loss to follow-up or new anticancer therapy —
else "adverse event or other"; "ongoing at cut-off" while a period is open) and the ctDNA
samples due (baseline; four weeks after RT, or after randomization without RT, if the
patient was followed that long; at progression).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from oligotrial.edc.export import DatabaseExtract
from oligotrial.edc.trial_config import current_protocol
from oligotrial.endpoints.derive import PatientEndpoints, derive_all
from oligotrial.errors import StateError
from oligotrial.exploratory import ExploratoryData
from oligotrial.interop.cdisc.adam import StudyContext, adam_datasets, report_frames
from oligotrial.interop.cdisc.dataset import Dataset
from oligotrial.reports.inputs import ReportInputs


@dataclass(frozen=True)
class AnalysisData:
    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adrs: pd.DataFrame
    adae: pd.DataFrame
    screening: pd.DataFrame
    visits: pd.DataFrame
    ctdna: pd.DataFrame
    data_cutoff: dt.date
    protocol_id: str
    protocol_version: str
    adam: tuple[Dataset, ...] = ()  # the conformant ADaM data sets the frames are read from

    def frames(self) -> dict[str, pd.DataFrame]:
        return {
            "adsl": self.adsl,
            "adtte": self.adtte,
            "adrs": self.adrs,
            "adae": self.adae,
            "screening": self.screening,
            "visits": self.visits,
            "ctdna": self.ctdna,
        }


def read_database(actor_username: str, data_cutoff: dt.date) -> DatabaseExtract:
    """Extract the database (configured beforehand) as ``actor_username``."""
    from oligotrial.edc import services
    from oligotrial.edc.export import extract

    return extract(services.get_actor(actor_username), data_cutoff=data_cutoff)


def _progression(r: PatientEndpoints) -> dt.date | None:
    points = r.response.time_points if r.response is not None else ()
    return next((t.date for t in points if t.overall == "PD"), None)


def _end_of_treatment(
    subject: dict[str, Any], r: PatientEndpoints, cutoff: dt.date
) -> dict[str, Any]:
    p = r.patient
    stop = subject.pop("TRTSTOP")
    if subject.get("TRTSDT") is None:
        return {**subject, "TRTEDT": None, "DCTREAS": None}
    if stop is None:
        return {**subject, "TRTEDT": cutoff, "DCTREAS": "ongoing at cut-off"}
    events = {
        "progression": _progression(r),
        "death": p.death_date,
        "lost to follow-up": p.withdrawal.date if p.withdrawal else None,
        "new anticancer therapy": p.new_therapy_date,
    }
    reason = next((name for name, day in events.items() if day == stop), "adverse event or other")
    return {**subject, "TRTEDT": stop, "DCTREAS": reason}


def _ctdna_log(
    samples: Sequence[dict[str, Any]], results: Sequence[PatientEndpoints]
) -> list[dict[str, Any]]:
    by_patient: dict[str, list[dict[str, Any]]] = {}
    for s in samples:
        by_patient.setdefault(s["USUBJID"], []).append(s)
    rows = []
    for r in results:
        mine = by_patient.get(r.patient.subject_id, [])
        if not mine:
            continue
        have = {s["TIMEPOINT"] for s in mine}
        due = ["baseline"]
        alive = r.patient.last_known_alive
        if alive is not None and mine[0]["FIRST_FU_DUE"] < alive:
            due.append("first-follow-up-after-rt")
        if _progression(r) is not None:
            due.append("progression")
        rows += [
            {
                "USUBJID": r.patient.subject_id,
                "SITEID": mine[0]["SITEID"],
                "TIMEPOINT": t,
                "COLLECTED": "Y" if t in have else "N",
            }
            for t in due
        ]
    return rows


def analysis_data(extract: DatabaseExtract) -> AnalysisData:
    """Derive the analysis data sets from a database extract."""
    if not extract.patients:
        raise StateError("the database holds no randomized patient; nothing to analyse")
    results = derive_all(extract.patients)
    by_id = {r.patient.subject_id: r for r in results}
    subjects = [
        _end_of_treatment(dict(s), by_id[s["USUBJID"]], extract.data_cutoff)
        for s in extract.subjects
    ]
    protocol = current_protocol()
    adam = adam_datasets(results, subjects, protocol)
    view = report_frames({d.name: d.frame for d in adam}, StudyContext.of(protocol))
    return AnalysisData(
        view.adsl,
        view.adtte,
        view.adrs,
        view.adae,
        pd.DataFrame(list(extract.screening)),
        pd.DataFrame(list(extract.visits)),
        pd.DataFrame(_ctdna_log(extract.samples, results)),
        extract.data_cutoff,
        extract.protocol_id,
        extract.protocol_version,
        tuple(adam),
    )


def report_inputs(
    data: AnalysisData, source: str, *, exploratory_user: str | None = None
) -> ReportInputs:
    """The report's inputs: the analysis data sets plus the protocol in force, which must be
    the one the database was collected under (same id and version). With
    ``exploratory_user`` (a statistician or data manager; others do not see the laboratory
    results), the analysed ctDNA and biopsy results are read from the database too."""
    protocol = current_protocol()
    if (data.protocol_id, data.protocol_version) != (protocol.id, protocol.version):
        raise StateError(
            f"the database holds protocol {data.protocol_id} version "
            f"{data.protocol_version}, not {protocol.id} version "
            f"{protocol.version}"
        )
    return ReportInputs(
        data.adsl,
        data.adtte,
        data.adrs,
        data.adae,
        adtr=None,
        screening=data.screening,
        visits=data.visits,
        ctdna=data.ctdna,
        protocol=protocol,
        data_cutoff=data.data_cutoff,
        data_source=source,
        exploratory=_exploratory(exploratory_user) if exploratory_user else None,
    )


def _exploratory(user: str) -> ExploratoryData | None:
    from oligotrial.edc import services
    from oligotrial.edc.services.sample_reading import ANALYSIS_ROLES, exploratory_data

    actor = services.get_actor(user)
    return exploratory_data(actor) if actor.role in ANALYSIS_ROLES else None
