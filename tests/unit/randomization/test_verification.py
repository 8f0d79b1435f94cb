"""Verification regenerates the list from its seed and finds any changed slot."""

from __future__ import annotations

import dataclasses

from oligotrial.randomization import Factor, ListParameters, generate_list, verify_list

PARAMS = ListParameters(
    seed=20260101,
    arms=("A", "B"),
    ratio=(1, 1),
    block_sizes=(2, 4),
    factors=(Factor("site", ("S01", "S02")), Factor("flst_ici", ("ici", "no-ici"))),
    slots_per_stratum=30,
)


def test_untouched_list_verifies() -> None:
    lst = generate_list(PARAMS)
    result = verify_list(PARAMS, lst.slots)
    assert result.ok
    assert result.differences == ()
    assert result.slots_compared == len(lst.slots)
    assert result.fingerprint == lst.fingerprint


def test_changed_arm_is_detected_and_located() -> None:
    slots = list(generate_list(PARAMS).slots)
    target = slots[17]
    flipped = "B" if target.arm == "A" else "A"
    slots[17] = dataclasses.replace(target, arm=flipped)
    result = verify_list(PARAMS, slots)
    assert not result.ok
    assert [(d.stratum, d.sequence, d.expected, d.found) for d in result.differences] == [
        (target.stratum, target.sequence, target.arm, flipped)
    ]


def test_removed_or_swapped_slots_are_detected() -> None:
    slots = list(generate_list(PARAMS).slots)
    missing = slots.pop(3)
    result = verify_list(PARAMS, slots)
    assert [(d.stratum, d.sequence, d.found) for d in result.differences] == [
        (missing.stratum, missing.sequence, None)
    ]
    slots = list(generate_list(PARAMS).slots)
    i = next(k for k in range(len(slots) - 1) if slots[k].arm != slots[k + 1].arm)
    a, b = slots[i], slots[i + 1]
    slots[i] = dataclasses.replace(a, arm=b.arm)
    slots[i + 1] = dataclasses.replace(b, arm=a.arm)
    assert len(verify_list(PARAMS, slots).differences) == 2


def test_wrong_seed_fails_verification() -> None:
    lst = generate_list(PARAMS)
    other = dataclasses.replace(PARAMS, seed=PARAMS.seed + 1)
    assert not verify_list(other, lst.slots).ok
