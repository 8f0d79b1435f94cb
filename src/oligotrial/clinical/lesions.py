"""Lesions: the model, RECIST 1.1 measurability and oligoprogressive counting, in one place.

This module gathers the public lesion API; each concept lives in its own module with its
source: :mod:`~oligotrial.clinical.lesion` (the model), :mod:`~oligotrial.clinical.anatomy`
(organs and lymph-node regions), :mod:`~oligotrial.clinical.measurability` (RECIST 1.1,
Eisenhauer 2009) and :mod:`~oligotrial.clinical.oligo_count` (registry inclusion 3).
"""

from __future__ import annotations

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM, lymph_node_region, organ_system
from oligotrial.clinical.lesion import Lesion
from oligotrial.clinical.measurability import Measurability, measurability, minimum_size_mm
from oligotrial.clinical.oligo_count import CountedLesion, OligoCount, count_oligoprogressive

__all__ = [
    "LYMPH_NODE_SYSTEM",
    "CountedLesion",
    "Lesion",
    "Measurability",
    "OligoCount",
    "count_oligoprogressive",
    "lymph_node_region",
    "measurability",
    "minimum_size_mm",
    "organ_system",
]
