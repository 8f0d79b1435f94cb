"""Allocation sequences: stratified permuted blocks (random block sizes), list verification,
and Pocock-Simon minimization. Pure: no database; the edc services store and claim slots.
"""

from oligotrial.randomization.allocation_list import (
    GENERATOR,
    AllocationList,
    Difference,
    ListParameters,
    Slot,
    Verification,
    generate_list,
    slots_fingerprint,
    stratum_slots,
    verify_list,
)
from oligotrial.randomization.blocks import block_sequence, check_block_sizes, permuted_block
from oligotrial.randomization.minimization import (
    MinimizationDecision,
    MinimizationSettings,
    add_to_counts,
    allocation_rng,
    imbalance_scores,
    minimize,
    replay,
)
from oligotrial.randomization.strata import Factor, all_strata, parse_stratum_key, stratum_key

__all__ = [
    "GENERATOR",
    "AllocationList",
    "Difference",
    "Factor",
    "ListParameters",
    "MinimizationDecision",
    "MinimizationSettings",
    "Slot",
    "Verification",
    "add_to_counts",
    "all_strata",
    "allocation_rng",
    "block_sequence",
    "check_block_sizes",
    "generate_list",
    "imbalance_scores",
    "minimize",
    "parse_stratum_key",
    "permuted_block",
    "replay",
    "slots_fingerprint",
    "stratum_key",
    "stratum_slots",
    "verify_list",
]
