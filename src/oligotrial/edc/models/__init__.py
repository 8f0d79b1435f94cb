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
from oligotrial.edc.models.freeze import Freeze, FreezeScope
from oligotrial.edc.models.measurements import LabResult, Lesion, LesionMeasurement
from oligotrial.edc.models.outcomes import Death, Withdrawal
from oligotrial.edc.models.patients import Consent, Patient, PatientStatus, Screening
from oligotrial.edc.models.queries import DataQuery, QueryAnswer
from oligotrial.edc.models.query_messages import QueryMessage
from oligotrial.edc.models.safety import SERIOUSNESS_CRITERIA, AdverseEvent
from oligotrial.edc.models.sample_results import SampleMutation, SampleResult
from oligotrial.edc.models.samples import Biosample, CustodyEvent, SampleStatus
from oligotrial.edc.models.signatures import Signature, SignatureScope
from oligotrial.edc.models.sites import SITE_ROLES, Role, Site, Staff
from oligotrial.edc.models.tokens import ApiToken
from oligotrial.edc.models.treatment import Exposure, NewAnticancerTherapy, RadiotherapyCourse
from oligotrial.edc.models.trial_state import TrialState
from oligotrial.edc.models.verification import SourceVerification, VerificationState
from oligotrial.edc.models.visits import Visit, VisitStatus

__all__ = [
    "SERIOUSNESS_CRITERIA",
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
    "CustodyEvent",
    "DataCut",
    "DataQuery",
    "Death",
    "Exposure",
    "Freeze",
    "FreezeScope",
    "LabResult",
    "Lesion",
    "LesionMeasurement",
    "NewAnticancerTherapy",
    "Patient",
    "PatientStatus",
    "QueryAnswer",
    "QueryMessage",
    "RadiotherapyCourse",
    "Role",
    "SampleMutation",
    "SampleResult",
    "SampleStatus",
    "Screening",
    "ScreeningDraft",
    "Signature",
    "SignatureScope",
    "Site",
    "SourceVerification",
    "Staff",
    "StratumCursor",
    "TrialState",
    "VerificationState",
    "Visit",
    "VisitStatus",
    "Withdrawal",
]
