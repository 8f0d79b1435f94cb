"""Permuted blocks keep arms balanced within every stratum as the block design promises."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.errors import InputError
from oligotrial.randomization import (
    Factor,
    ListParameters,
    all_strata,
    block_sequence,
    check_block_sizes,
    generate_list,
)

FACTORS = (
    Factor("site", ("S01", "S02", "S03")),
    Factor("oligoprogression_site", ("intrahepatic-only", "any-extrahepatic")),
    Factor("flst_ici", ("ici", "no-ici")),
)


def params(
    seed: int, ratio: tuple[int, ...] = (1, 1), sizes: tuple[int, ...] = (2, 4)
) -> ListParameters:
    return ListParameters(
        seed=seed,
        arms=("A", "B") if len(ratio) == 2 else ("A", "B", "C"),
        ratio=ratio,
        block_sizes=sizes,
        factors=FACTORS,
        slots_per_stratum=60,
    )


@pytest.mark.parametrize("seed", range(40))
def test_balance_within_every_stratum_at_every_point(seed: int) -> None:
    lst = generate_list(params(seed))
    by_stratum: dict[str, list[tuple[int, int, str]]] = {}
    for s in lst.slots:
        by_stratum.setdefault(s.stratum, []).append((s.block, s.block_size, s.arm))
    assert set(by_stratum) == set(all_strata(FACTORS))
    for rows in by_stratum.values():
        diff = 0
        for i, (block, _size, arm) in enumerate(rows):
            diff += 1 if arm == "A" else -1
            # never more than half the largest block apart
            assert abs(diff) <= 2
            end_of_block = i + 1 == len(rows) or rows[i + 1][0] != block
            if end_of_block:
                assert diff == 0  # every complete block is balanced
        sizes = Counter((b, s) for b, s, _ in rows)
        assert all(count == size for (_, size), count in sizes.items())


def test_unequal_ratio_blocks_hold_arms_in_proportion() -> None:
    rng = np.random.default_rng(7)
    seq = block_sequence(300, ("A", "B"), (2, 1), (3, 6), rng)
    blocks: dict[int, list[str]] = {}
    for block, _size, arm in seq:
        blocks.setdefault(block, []).append(arm)
    for arms in blocks.values():
        assert arms.count("A") == 2 * arms.count("B")


def test_both_block_sizes_are_used_at_random() -> None:
    lst = generate_list(params(3))
    sizes = Counter(s.block_size for s in lst.slots if s.sequence == 1)
    assert set(sizes) == {2, 4}
    # the order within blocks of four varies too
    patterns = {
        tuple(x.arm for x in lst.slots if x.stratum == s.stratum and x.block == s.block)
        for s in lst.slots
        if s.block_size == 4
    }
    assert len(patterns) >= 4


def test_same_seed_same_list_different_seed_different_list() -> None:
    assert generate_list(params(11)).fingerprint == generate_list(params(11)).fingerprint
    assert generate_list(params(11)).fingerprint != generate_list(params(12)).fingerprint


def test_adding_a_site_leaves_existing_strata_unchanged() -> None:
    small = generate_list(params(5))
    more = ListParameters(
        seed=5,
        arms=("A", "B"),
        ratio=(1, 1),
        block_sizes=(2, 4),
        factors=(Factor("site", ("S01", "S02", "S03", "S04")), *FACTORS[1:]),
        slots_per_stratum=60,
    )
    big = {(s.stratum, s.sequence): s.arm for s in generate_list(more).slots}
    assert all(big[(s.stratum, s.sequence)] == s.arm for s in small.slots)


@pytest.mark.parametrize(
    ("sizes", "ratio"), [((3,), (1, 1)), ((), (1, 1)), ((2, 2), (1, 1)), ((4,), (1, 0))]
)
def test_bad_block_sizes_are_refused(sizes: tuple[int, ...], ratio: tuple[int, ...]) -> None:
    with pytest.raises(InputError) as err:
        check_block_sizes(sizes, ratio)
    assert err.value.field in {"randomization.block_sizes", "allocation_ratio"}


def test_bad_seed_is_refused() -> None:
    with pytest.raises(InputError, match="seed"):
        params(-1)


@given(
    ratio=st.lists(st.integers(1, 3), min_size=2, max_size=3),
    multiples=st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True),
    n=st.integers(1, 120),
    seed=st.integers(0, 2**32),
)
@settings(max_examples=150, deadline=None)
def test_any_ratio_and_block_sizes_keep_the_promise(
    ratio: list[int], multiples: list[int], n: int, seed: int
) -> None:
    arms = tuple("ABC"[: len(ratio)])
    unit = sum(ratio)
    sizes = tuple(unit * m for m in multiples)
    seq = block_sequence(n, arms, tuple(ratio), sizes, np.random.default_rng(seed))
    assert len(seq) >= n and len(seq) - n < max(sizes)  # whole blocks, no extra block
    counts = dict.fromkeys(arms, 0)
    for i, (block, _size, arm) in enumerate(seq):
        counts[arm] += 1
        assigned = i + 1
        for a, share in zip(arms, ratio, strict=True):
            # never further from the ratio than one largest block allows
            assert abs(counts[a] - assigned * share / unit) <= max(sizes) * share / unit
        if i + 1 == len(seq) or seq[i + 1][0] != block:
            assert all(counts[a] * unit == assigned * s for a, s in zip(arms, ratio, strict=True))
