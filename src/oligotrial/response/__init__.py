"""Tumour response: RECIST 1.1 and mRECIST time points, best overall response.

Sources: Eisenhauer et al., Eur J Cancer 2009;45:228-247 (RECIST 1.1); Lencioni & Llovet,
Semin Liver Dis 2010;30:52-60 (mRECIST). Rules as implemented: REFERENCE §3.
"""

from oligotrial.response.bor import BestResponse, best_overall_response
from oligotrial.response.engine import evaluate
from oligotrial.response.inputs import (
    Assessment,
    BaselineLesion,
    NewLesion,
    NonTargetAssessment,
    TargetMeasurement,
    TumourRecord,
)
from oligotrial.response.settings import ResponseSettings
from oligotrial.response.timepoint import ResponseResult, TimePoint

__all__ = [
    "Assessment",
    "BaselineLesion",
    "BestResponse",
    "NewLesion",
    "NonTargetAssessment",
    "ResponseResult",
    "ResponseSettings",
    "TargetMeasurement",
    "TimePoint",
    "TumourRecord",
    "best_overall_response",
    "evaluate",
]
