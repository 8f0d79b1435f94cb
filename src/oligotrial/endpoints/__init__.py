"""Endpoints: PFS, OS, DOR with CDISC censoring; ORR, DCR; safety tables; ADaM-like frames.

Rules: REFERENCE §4 (FDA 2018 endpoint guidance for PFS censoring; CTCAE v5.0). The
analysis data sets (pandas) live in :mod:`oligotrial.endpoints.datasets`, imported on use.
"""

from oligotrial.endpoints.derive import PatientEndpoints, derive_all, derive_patient
from oligotrial.endpoints.inputs import (
    AdverseEvent,
    DataSet,
    LabValue,
    PatientRecord,
    Withdrawal,
    load_patients,
    parse_patients,
)
from oligotrial.endpoints.rates import Rate, response_rates
from oligotrial.endpoints.settings import EndpointSettings, ScheduleBlock
from oligotrial.endpoints.tte import TimeToEvent, overall_survival, progression_free

__all__ = [
    "AdverseEvent",
    "DataSet",
    "EndpointSettings",
    "LabValue",
    "PatientEndpoints",
    "PatientRecord",
    "Rate",
    "ScheduleBlock",
    "TimeToEvent",
    "Withdrawal",
    "derive_all",
    "derive_patient",
    "load_patients",
    "overall_survival",
    "parse_patients",
    "progression_free",
    "response_rates",
]
