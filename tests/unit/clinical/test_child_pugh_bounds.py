"""Bounds of the Child-Pugh score with unknown items: tight and never wrong."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.clinical.child_pugh import child_pugh
from oligotrial.clinical.child_pugh_bounds import child_pugh_bounds
from oligotrial.errors import InputError

# One value per band (1, 2, 3 points) for each item, to enumerate every completion.
BANDS: dict[str, tuple[Any, ...]] = {
    "bilirubin_umol_l": (20.0, 40.0, 60.0),
    "albumin_g_l": (40.0, 30.0, 20.0),
    "inr": (1.2, 2.0, 2.6),
    "ascites": ("none", "mild", "moderate-severe"),
    "encephalopathy": ("none", "grade-1-2", "grade-3-4"),
}
complete = st.fixed_dictionaries({name: st.sampled_from(v) for name, v in BANDS.items()})


def test_all_known_is_the_score() -> None:
    values = dict(zip(BANDS, (40.0, 30.0, 1.2, "none", "none"), strict=True))
    bounds = child_pugh_bounds(**values)
    assert (bounds.low, bounds.high, bounds.unknown) == (7, 7, ())
    assert bounds.decided and child_pugh(**values).score == 7


def test_each_unknown_item_adds_one_to_three_points() -> None:
    bounds = child_pugh_bounds(
        bilirubin_umol_l=60.0, albumin_g_l=None, inr=1.2, ascites=None, encephalopathy="none"
    )
    assert (bounds.low, bounds.high) == (5 + 2, 5 + 6)
    assert bounds.unknown == ("albumin", "ascites")


@settings(max_examples=80, deadline=None)
@given(complete, st.sets(st.sampled_from(list(BANDS)), min_size=1))
def test_bounds_are_attained_and_hold_every_completion(
    values: dict[str, Any], hidden: set[str]
) -> None:
    partial = {name: (None if name in hidden else v) for name, v in values.items()}
    bounds = child_pugh_bounds(**partial)
    assert bounds.low <= child_pugh(**values).score <= bounds.high
    scores = {
        child_pugh(**{**partial, **dict(zip(sorted(hidden), combo, strict=True))}).score
        for combo in itertools.product(*(BANDS[name] for name in sorted(hidden)))
    }
    assert (min(scores), max(scores)) == (bounds.low, bounds.high)


def test_a_bad_known_item_is_still_refused() -> None:
    with pytest.raises(InputError, match="ascites"):
        child_pugh_bounds(
            bilirubin_umol_l=None, albumin_g_l=None, inr=None, ascites="lots", encephalopathy=None
        )
