"""The allocation list: generated once from a recorded seed before go-live, then verified.

Each stratum draws from its own generator, seeded from the trial seed and the stratum key
(``numpy.random.SeedSequence([seed, *sha256(key)])``), so adding a site later leaves the
lists of existing strata unchanged. Verification regenerates the list from the seed and
parameters and compares it slot by slot (ICH E6(R3) 4.7 / ICH E9 2.3.1: the list must be
reproducible and its integrity demonstrable).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from oligotrial.errors import InputError
from oligotrial.randomization.blocks import block_sequence, check_block_sizes
from oligotrial.randomization.strata import Factor, all_strata

GENERATOR = "numpy.PCG64/SeedSequence([seed, sha256(stratum)])/permuted-blocks v1"


@dataclass(frozen=True)
class Slot:
    """One position of the list: the ``sequence``-th allocation (1-based) in a stratum."""

    stratum: str
    sequence: int
    block: int
    block_size: int
    arm: str


@dataclass(frozen=True)
class ListParameters:
    """Everything needed to regenerate a list."""

    seed: int
    arms: tuple[str, ...]
    ratio: tuple[int, ...]
    block_sizes: tuple[int, ...]
    factors: tuple[Factor, ...]
    slots_per_stratum: int

    def __post_init__(self) -> None:
        if self.seed < 0 or self.seed >= 2**63:
            raise InputError("seed", "the seed must be a whole number in [0, 2^63)")
        if len(self.arms) < 2 or len(set(self.arms)) != len(self.arms):
            raise InputError("arms", "at least two distinct arms are needed")
        if len(self.ratio) != len(self.arms):
            raise InputError("allocation_ratio", "one ratio entry per arm is needed")
        check_block_sizes(self.block_sizes, self.ratio)
        if self.slots_per_stratum < 1:
            raise InputError("slots_per_stratum", "must be at least 1")
        if not self.factors:
            raise InputError("stratification", "at least one factor is needed")


@dataclass(frozen=True)
class AllocationList:
    """A generated list: its parameters and its slots, stratum by stratum in order."""

    parameters: ListParameters
    slots: tuple[Slot, ...]

    @property
    def fingerprint(self) -> str:
        """SHA-256 over the canonical JSON of every slot (recorded with the list)."""
        return slots_fingerprint(self.slots)


@dataclass(frozen=True)
class Difference:
    """A slot where a stored list and the regenerated one disagree (``None``: absent)."""

    stratum: str
    sequence: int
    expected: str | None
    found: str | None


@dataclass(frozen=True)
class Verification:
    """Outcome of regenerating a list from its seed and comparing."""

    ok: bool
    slots_compared: int
    differences: tuple[Difference, ...]
    fingerprint: str


def _stratum_rng(seed: int, stratum: str) -> np.random.Generator:
    digest = hashlib.sha256(stratum.encode()).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 32, 4)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *words])))


def stratum_slots(params: ListParameters, stratum: str) -> tuple[Slot, ...]:
    """The slots of one stratum (whole blocks, at least ``slots_per_stratum``)."""
    rng = _stratum_rng(params.seed, stratum)
    seq = block_sequence(
        params.slots_per_stratum, params.arms, params.ratio, params.block_sizes, rng
    )
    return tuple(Slot(stratum, i + 1, block, size, arm) for i, (block, size, arm) in enumerate(seq))


def generate_list(params: ListParameters) -> AllocationList:
    """Generate the stratified permuted-block list for every stratum."""
    slots: list[Slot] = []
    for stratum in all_strata(params.factors):
        slots.extend(stratum_slots(params, stratum))
    return AllocationList(params, tuple(slots))


def slots_fingerprint(slots: Sequence[Slot]) -> str:
    """SHA-256 over the canonical JSON of slots ordered by stratum and sequence."""
    ordered = sorted(slots, key=lambda s: (s.stratum, s.sequence))
    rows = [[s.stratum, s.sequence, s.block, s.block_size, s.arm] for s in ordered]
    text = json.dumps(rows, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def verify_list(params: ListParameters, stored: Sequence[Slot]) -> Verification:
    """Regenerate from ``params`` and compare with ``stored`` slot by slot."""
    expected = {(s.stratum, s.sequence): s for s in generate_list(params).slots}
    found = {(s.stratum, s.sequence): s for s in stored}
    diffs: list[Difference] = []
    for key in sorted(set(expected) | set(found)):
        e, f = expected.get(key), found.get(key)
        same = (
            e is not None
            and f is not None
            and (e.arm, e.block, e.block_size) == (f.arm, f.block, f.block_size)
        )
        if not same:
            diffs.append(Difference(key[0], key[1], e.arm if e else None, f.arm if f else None))
    return Verification(
        ok=not diffs,
        slots_compared=len(expected),
        differences=tuple(diffs),
        fingerprint=slots_fingerprint(list(stored)),
    )
