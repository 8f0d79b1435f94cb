"""Permuted blocks with block sizes drawn at random.

Each block holds every arm in proportion to the allocation ratio (a block of 4 at 1:1 holds
two A and two B) in a random order; the size of each block is drawn uniformly from the
protocol's sizes, so a site cannot infer the last allocation of a block from its size.
Sources: ICH E9 §2.3.1 (blocking, concealment of block length); Schulz & Grimes, Lancet 2002;
359:515-9 (random block sizes); Rosenberger & Lachin, Randomization in Clinical Trials,
2nd ed., 2016, ch. 3.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from oligotrial.errors import InputError


def check_block_sizes(block_sizes: Sequence[int], ratio: Sequence[int]) -> tuple[int, ...]:
    """Validate block sizes against the allocation ratio; every size is a multiple of its sum."""
    if not ratio or any(int(r) < 1 for r in ratio):
        raise InputError("allocation_ratio", "every arm needs a positive whole ratio")
    unit = sum(int(r) for r in ratio)
    sizes = tuple(int(s) for s in block_sizes)
    if not sizes:
        raise InputError("randomization.block_sizes", "at least one block size is needed")
    for size in sizes:
        if size < unit or size % unit:
            raise InputError(
                "randomization.block_sizes",
                f"block size {size} is not a positive multiple of the ratio total {unit}",
            )
    if len(set(sizes)) != len(sizes):
        raise InputError("randomization.block_sizes", "block sizes repeat")
    return sizes


def permuted_block(
    size: int, arms: Sequence[str], ratio: Sequence[int], rng: np.random.Generator
) -> list[str]:
    """One block of ``size`` allocations holding each arm ``size * ratio / sum(ratio)`` times."""
    unit = sum(ratio)
    content: list[str] = []
    for arm, share in zip(arms, ratio, strict=True):
        content.extend([arm] * (size // unit * share))
    order = rng.permutation(len(content))
    return [content[i] for i in order]


def block_sequence(
    n: int,
    arms: Sequence[str],
    ratio: Sequence[int],
    block_sizes: Sequence[int],
    rng: np.random.Generator,
) -> list[tuple[int, int, str]]:
    """At least ``n`` allocations as ``(block number, block size, arm)``; whole blocks only."""
    sizes = check_block_sizes(block_sizes, ratio)
    out: list[tuple[int, int, str]] = []
    block = 0
    while len(out) < n:
        block += 1
        size = sizes[int(rng.integers(len(sizes)))]
        out.extend((block, size, arm) for arm in permuted_block(size, arms, ratio, rng))
    return out
