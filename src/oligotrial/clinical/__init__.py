"""Clinical calculators: pure, typed, unit-aware rules with their published sources.

Each rule lives in its own module with its source in the docstring: ``units`` (canonical
lab units), ``child_pugh``, ``albi``, ``bclc``, ``ecog``, ``lesions`` (RECIST 1.1
measurability and oligoprogressive counting), ``oligo`` (ESTRO-EORTC classes), ``hbv``
and ``afp``. The most used entry points are re-exported here, except the functions named
like their module (``child_pugh.child_pugh``, ``albi.albi``), which would hide the module:
import those from their module.
"""

from __future__ import annotations

from oligotrial.clinical.afp import afp_at_or_above
from oligotrial.clinical.albi import Albi
from oligotrial.clinical.bclc import Bclc, bclc_stage
from oligotrial.clinical.child_pugh import (
    ChildPugh,
    child_pugh_points_array,
    child_pugh_score_array,
)
from oligotrial.clinical.ecog import check_ecog
from oligotrial.clinical.hbv import hbv_active_untreated
from oligotrial.clinical.lesions import (
    Lesion,
    Measurability,
    OligoCount,
    count_oligoprogressive,
    measurability,
)
from oligotrial.clinical.oligo import OligoClass, estro_eortc_class
from oligotrial.clinical.units import to_canonical

__all__ = [
    "Albi",
    "Bclc",
    "ChildPugh",
    "Lesion",
    "Measurability",
    "OligoClass",
    "OligoCount",
    "afp_at_or_above",
    "bclc_stage",
    "check_ecog",
    "child_pugh_points_array",
    "child_pugh_score_array",
    "count_oligoprogressive",
    "estro_eortc_class",
    "hbv_active_untreated",
    "measurability",
    "to_canonical",
]
