"""Eligibility screening: a protocol's criteria decided from a patient's source data.

``evaluate(protocol, record)`` screens one validated :class:`ScreeningRecord` (read it with
``read_record`` or ``record_from_data``); ``screen_lines`` screens JSON Lines column-wise
and gives the same verdicts. ``check_protocol`` verifies that a protocol's rules name known
facts and use them sensibly. ``stratum_values(protocol, record)`` gives the record's
stratification levels, computed by the same engine.
"""

from oligotrial.eligibility.batch import screen_lines, screen_lines_per_patient, screen_records
from oligotrial.eligibility.batch_result import BatchResult
from oligotrial.eligibility.catalogue import FACTS, FactSpec
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.reading import read_record, record_from_data
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.rules_check import check_protocol
from oligotrial.eligibility.strata import stratum_values
from oligotrial.eligibility.verdicts import CriterionResult, ScreeningResult

__all__ = [
    "FACTS",
    "BatchResult",
    "CriterionResult",
    "FactSpec",
    "ScreeningRecord",
    "ScreeningResult",
    "check_protocol",
    "evaluate",
    "read_record",
    "record_from_data",
    "screen_lines",
    "screen_lines_per_patient",
    "screen_records",
    "stratum_values",
]
