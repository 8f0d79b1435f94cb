"""Models of the trial database, one module per concept."""

from oligotrial.edc.models.allocation import (
    Allocation,
    AllocationList,
    AllocationSlot,
    StratumCursor,
)
from oligotrial.edc.models.audit import AuditEntry, ChainHead
from oligotrial.edc.models.cuts import DataCut
from oligotrial.edc.models.drafts import ScreeningDraft
from oligotrial.edc.models.measurements import LabResult, Lesion, LesionMeasurement
from oligotrial.edc.models.outcomes import Death, Withdrawal
from oligotrial.edc.models.patients import Consent, Patient, PatientStatus, Screening
from oligotrial.edc.models.queries import DataQuery, QueryAnswer
from oligotrial.edc.models.safety import AdverseEvent
from oligotrial.edc.models.samples import Biosample
from oligotrial.edc.models.sites import SITE_ROLES, Role, Site, Staff
from oligotrial.edc.models.tokens import ApiToken
from oligotrial.edc.models.treatment import Exposure, NewAnticancerTherapy, RadiotherapyCourse
from oligotrial.edc.models.trial_state import TrialState
from oligotrial.edc.models.visits import Visit, VisitStatus

__all__ = [
    "SITE_ROLES",
    "AdverseEvent",
    "Allocation",
    "AllocationList",
    "AllocationSlot",
    "ApiToken",
    "AuditEntry",
    "Biosample",
    "ChainHead",
    "Consent",
    "DataCut",
    "DataQuery",
    "Death",
    "Exposure",
    "LabResult",
    "Lesion",
    "LesionMeasurement",
    "NewAnticancerTherapy",
    "Patient",
    "PatientStatus",
    "QueryAnswer",
    "RadiotherapyCourse",
    "Role",
    "Screening",
    "ScreeningDraft",
    "Site",
    "Staff",
    "StratumCursor",
    "TrialState",
    "Visit",
    "VisitStatus",
    "Withdrawal",
]
