"""The per-look log-rank kernel: ties, shared entry rows, bucket counts."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from oligotrial.design._sim_kernel import bucket_argsort, simulate_looks
from oligotrial.design.simulation import chunk_generator, draw_trials, looks_with_stats
from oligotrial.design.trial_scenario import build_scenario

BASE = {
    "subjects": 132,
    "events": [40, 79, 118],
    "hazard_ratio": 0.55,
    "accrual": 24.0,
    "control_median": 3.1,
    "dropout_rate": 0.1,
}


def _looks(sc, entry, y, delta, group):  # type: ignore[no-untyped-def]
    out = [np.empty((y.shape[0], len(sc.events))) for _ in range(5)]
    simulate_looks(entry, y, delta, group, np.array(sc.events, dtype=np.int64), *out)
    return out


def test_tied_times_equal_the_stats_log_rank() -> None:
    """Whole-month entry and follow-up: many events, censorings and look-censorings tie."""
    sc = build_scenario(**BASE)  # type: ignore[arg-type]
    entry, y, delta, group = draw_trials(sc, chunk_generator(3, 0), 400)
    entry = np.sort(np.floor(entry), axis=1)
    y = np.ceil(y)
    ours = _looks(sc, entry, y, delta, group)
    ref = looks_with_stats(sc, entry, y, delta, group)
    for a, b in zip(ours, ref, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, equal_nan=True)
    tau = ours[1][:, :1]
    censored_at_look = tau - entry  # follow-up of subjects still followed at the first look
    assert np.isin(censored_at_look, y).any()  # look-censorings tie with other times
    assert np.isfinite(ours[0]).mean() > 0.9


def test_one_shared_entry_row_equals_the_repeated_rows() -> None:
    sc = build_scenario(**BASE, entry="even", allocation="alternating")  # type: ignore[arg-type]
    entry, y, delta, group = draw_trials(sc, chunk_generator(4, 0), 300)
    assert (entry == entry[:1]).all() and (group == group[:1]).all()
    repeated = _looks(sc, entry, y, delta, group)
    shared = _looks(sc, entry[:1].copy(), y, delta, group[:1].copy())
    for a, b in zip(repeated, shared, strict=True):
        np.testing.assert_array_equal(a, b)


@given(
    st.lists(
        st.floats(0, 1e6, allow_nan=False) | st.sampled_from([0.0, 1.0, 2.0]),
        min_size=1,
        max_size=300,
    )
)
def test_bucket_argsort_with_twice_as_many_buckets(values: list[float]) -> None:
    keys = np.array(values)
    n = keys.size
    order = np.empty(n, dtype=np.int64)
    out = np.empty(n)
    counts = np.empty(2 * n + 1, dtype=np.int64)
    bucket_argsort(keys, n, order, counts, np.empty(n, dtype=np.int64), out)
    np.testing.assert_array_equal(keys[order], np.sort(keys))
    np.testing.assert_array_equal(out, np.sort(keys))
