"""Analysis data sets from a trial database, and the report inputs built from them.

The database extract (:func:`oligotrial.edc.export.extract`, read-only, as a statistician)
goes through the endpoint engine (:func:`oligotrial.endpoints.derive.derive_all`: RECIST
1.1 responses, PFS/OS/DOR with the protocol's censoring rules) into ADSL, ADTTE, ADRS and
ADAE (:mod:`oligotrial.endpoints.datasets`); baseline and treatment columns are added to
ADSL. ``oligotrial demo`` and ``oligotrial report --database`` both use this one path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from oligotrial.edc.export import DatabaseExtract
from oligotrial.endpoints import datasets
from oligotrial.endpoints.derive import derive_all
from oligotrial.endpoints.inputs import parse_patients
from oligotrial.errors import StateError
from oligotrial.protocol import load_protocol
from oligotrial.reports.inputs import DesignAssumptions, ReportInputs


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

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"adsl": self.adsl, "adtte": self.adtte, "adrs": self.adrs, "adae": self.adae,
                "screening": self.screening, "visits": self.visits, "ctdna": self.ctdna}


def read_database(actor_username: str, data_cutoff: dt.date) -> DatabaseExtract:
    """Extract the database (configured beforehand) as ``actor_username``."""
    from oligotrial.edc import services
    from oligotrial.edc.export import extract

    return extract(services.get_actor(actor_username), data_cutoff=data_cutoff)


def analysis_data(extract: DatabaseExtract) -> AnalysisData:
    """Derive the analysis data sets from a database extract."""
    if not extract.patients:
        raise StateError("the database holds no randomized patient; nothing to analyse")
    results = derive_all(parse_patients({"patients": list(extract.patients)}))
    adsl = datasets.adsl(results).merge(pd.DataFrame(list(extract.subjects)), on="USUBJID",
                                        how="left")
    return AnalysisData(adsl, datasets.adtte(results), datasets.adrs(results),
                        datasets.adae(results), pd.DataFrame(list(extract.screening)),
                        pd.DataFrame(list(extract.visits)), pd.DataFrame(list(extract.ctdna)),
                        extract.data_cutoff, extract.protocol_id, extract.protocol_version)


def report_inputs(data: AnalysisData, source: str) -> ReportInputs:
    """The report's inputs: the analysis data sets plus the protocol's design assumptions."""
    protocol = load_protocol()
    return ReportInputs(data.adsl, data.adtte, data.adrs, data.adae, adtr=None,
                        screening=data.screening, visits=data.visits, ctdna=data.ctdna,
                        protocol_id=data.protocol_id, protocol_version=data.protocol_version,
                        design=DesignAssumptions.from_mapping(protocol.design.model_dump()),
                        data_cutoff=data.data_cutoff, data_source=source)
