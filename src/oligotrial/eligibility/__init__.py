"""Eligibility screening: a protocol's criteria decided from a patient's source data.

One path for every record: a strict record model (``read_record``, ``record_from_data``)
→ facts → rules (``evaluate``). ``screen_lines`` sends many records (JSON Lines) down the
same path over a process pool. ``check_protocol`` verifies that a protocol's rules name
known facts and use them sensibly. ``stratum_values(protocol, record)`` gives the
record's stratification levels, computed by the same engine.
"""

from typing import TYPE_CHECKING, Any

from oligotrial.eligibility.catalogue import FACTS, FactSpec
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.reading import read_record, record_from_data
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.rules_check import check_protocol
from oligotrial.eligibility.strata import stratum_values
from oligotrial.eligibility.verdicts import CriterionResult, ScreeningResult

if TYPE_CHECKING:
    from oligotrial.eligibility.batch import screen_lines
    from oligotrial.eligibility.batch_result import BatchResult


def __getattr__(name: str) -> Any:
    """The batch screener and its result, imported at first use (they need numpy, which
    screening one record does not)."""
    if name == "screen_lines":
        from oligotrial.eligibility.batch import screen_lines

        return screen_lines
    if name == "BatchResult":
        from oligotrial.eligibility.batch_result import BatchResult

        return BatchResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "stratum_values",
]
