"""Whole-trial simulation: kernel against the stats package, seeding, balance, errors."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.design._sim_kernel import bucket_argsort, permuted_blocks
from oligotrial.design.scale_out import simulate, simulate_grid, simulate_in_process
from oligotrial.design.simulation import (
    PIECE,
    chunk_generator,
    draw_trials,
    looks_with_stats,
    run_chunk,
    run_chunk_designs,
)
from oligotrial.design.trial_scenario import build_scenario
from oligotrial.errors import InputError
from oligotrial.stats import logrank_test

BASE = {
    "subjects": 132,
    "events": [59, 118],
    "hazard_ratio": 0.55,
    "accrual": 24.0,
    "control_median": 3.1,
    "dropout_rate": 0.1,
}


def _kernel_looks(sc, entry, y, delta, group):  # type: ignore[no-untyped-def]
    from oligotrial.design._sim_kernel import simulate_looks

    shape = (entry.shape[0], len(sc.events))
    out = [np.empty(shape) for _ in range(5)]
    simulate_looks(entry, y, delta, group, np.array(sc.events, dtype=np.int64), *out)
    return out


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"entry": "even", "allocation": "alternating"},
        {"weibull_shape": 1.5, "allocation": "complete", "events": [30, 60, 100]},
        {
            "control_hazard": [0.3, 0.15],
            "piecewise_times": [0, 4],
            "control_median": None,
            "strata": [0.3, 0.7],
            "block_sizes": [4, 6],
        },
    ],
)
def test_kernel_equals_stats_logrank_batched(extra: dict[str, object]) -> None:
    sc = build_scenario(**{**BASE, **extra})  # type: ignore[arg-type]
    entry, y, delta, group = draw_trials(sc, chunk_generator(5, 0), 300)
    ours = _kernel_looks(sc, entry, y, delta, group)
    ref = looks_with_stats(sc, entry, y, delta, group)
    for a, b in zip(ours, ref, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12, equal_nan=True)
    assert np.isfinite(ours[0]).mean() > 0.9


def test_kernel_matches_logrank_test_on_one_trial_at_a_look() -> None:
    sc = build_scenario(**BASE)  # type: ignore[arg-type]
    entry, y, delta, group = draw_trials(sc, chunk_generator(9, 3), 5)
    z, tau, ev, enr, _ = _kernel_looks(sc, entry, y, delta, group)
    i, k = 2, 0
    valid = entry[i] <= tau[i, k]
    time = np.minimum(y[i], tau[i, k] - entry[i])[valid]
    event = (delta[i] & (entry[i] + y[i] <= tau[i, k]))[valid]
    res = logrank_test(time, event, group[i][valid])
    assert event.sum() == ev[i, k] == 59
    assert valid.sum() == enr[i, k]
    assert z[i, k] ** 2 == pytest.approx(res.chisq, rel=1e-10)


def test_same_seed_same_result_whatever_the_threads() -> None:
    sc = build_scenario(**BASE)  # type: ignore[arg-type]
    one = simulate_in_process(sc, 2500, 42, chunk_size=400, workers=1)
    two = simulate_in_process(sc, 2500, 42, chunk_size=400, workers=2)
    assert one == two
    other = simulate_in_process(sc, 2500, 43, chunk_size=400, workers=2)
    assert other.power != one.power or other.expected_duration != one.expected_duration


def test_chunk_streams_are_fixed_by_index() -> None:
    sc = build_scenario(**BASE)  # type: ignore[arg-type]
    a = dataclasses.asdict(run_chunk(sc, 3, 7, 50))
    again = dataclasses.asdict(run_chunk(sc, 3, 7, 50))
    b = dataclasses.asdict(run_chunk(sc, 3, 8, 50))
    assert all(np.array_equal(a[k], again[k]) for k in a)
    assert any(not np.array_equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("engine", ["kernel", "stats"])
def test_designs_on_one_population_match_their_own_runs(engine: str) -> None:
    """Drawing once and looking at every event count gives each design its own numbers."""
    plans = ([118], [59, 118], [40, 79, 118])
    spendings = ("obrien-fleming", "pocock")
    designs = tuple(
        build_scenario(  # type: ignore[arg-type]
            **{**BASE, "events": ev, "spending": sp, "information": [e / 118 for e in ev]}
        )
        for ev in plans
        for sp in spendings
    )
    union = dataclasses.replace(designs[0], events=(40, 59, 79, 118))
    shared = run_chunk_designs(union, designs, 5, 2, 300, engine, (17,))
    assert len(shared) == len(designs)
    for d, got in zip(designs, shared, strict=True):
        alone = dataclasses.asdict(run_chunk(d, 5, 2, 300, engine, (17,)))
        mine = dataclasses.asdict(got)
        assert all(np.array_equal(mine[k], alone[k]) for k in alone)
    # two looks, O'Brien-Fleming against Pocock: the same trials, different stopping
    assert not np.array_equal(shared[2].reject, shared[3].reject)


def test_type_one_error_is_controlled_under_the_null() -> None:
    sc = build_scenario(
        **{
            **BASE,
            "hazard_ratio": 1.0,
            "events": [40, 80, 120],
            "subjects": 160,
            "sides": 1,
            "alpha": 0.025,
        }
    )  # type: ignore[arg-type]
    res = simulate(sc, 20000, 2024)
    assert abs(res.power - 0.025) < 3.5 * np.sqrt(0.025 * 0.975 / 20000)


def test_power_close_to_design_power() -> None:
    sc = build_scenario(**{**BASE, "subjects": 200})  # type: ignore[arg-type]
    res = simulate(sc, 10000, 7)
    assert abs(res.power - 0.9) < 0.02  # Schoenfeld's approximation is close at 118 events
    assert res.stop_per_look[0] == pytest.approx(res.reject_per_look[0])
    assert sum(res.stop_per_look) == pytest.approx(1.0)


def test_permuted_blocks_stay_balanced_within_strata() -> None:
    rng = np.random.default_rng(1)
    t, n, k = 200, 90, 3
    stratum = rng.integers(0, k, size=(t, n)).astype(np.int64)
    group = np.empty((t, n), dtype=np.int8)
    permuted_blocks(stratum, k, np.array([2, 4, 6], dtype=np.int64), rng.random((t, n)), group)
    for s in range(k):
        g = np.where(stratum == s, 2 * group.astype(int) - 1, 0)
        assert np.abs(np.cumsum(g, axis=1)).max() <= 3
    assert 0.45 < group.mean() < 0.55


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.floats(0, 1e6, allow_nan=False) | st.sampled_from([0.0, 1.0, 2.0]),
        min_size=1,
        max_size=300,
    )
)
def test_bucket_argsort_sorts_anything(values: list[float]) -> None:
    keys = np.array(values)
    n = keys.size
    order = np.empty(n, dtype=np.int64)
    out = np.empty(n)
    bucket_argsort(
        keys, n, order, np.empty(n + 1, dtype=np.int64), np.empty(n, dtype=np.int64), out
    )
    np.testing.assert_array_equal(keys[order], np.sort(keys))
    np.testing.assert_array_equal(out, np.sort(keys))
    assert sorted(order.tolist()) == list(range(n))


def test_scenario_grid_returns_a_tidy_table() -> None:
    df = simulate_grid(BASE, {"hazard_ratio": [0.55, 1.0], "accrual": [12.0, 24.0]}, 600, 1)
    assert list(df.columns[:2]) == ["hazard_ratio", "accrual"]
    assert len(df) == 4
    assert {"power", "mc_se", "mean_analysis_time_1", "reject_per_look_2"} <= set(df.columns)
    strong = df[df.hazard_ratio == 0.55].power.min()
    null = df[df.hazard_ratio == 1.0].power.max()
    assert strong > 0.7 > 0.1 > null


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"subjects": 100, "events": [59, 118]}, "events"),
        ({"events": [80, 60]}, "events"),
        ({"hazard_ratio": 0.0}, "hazard_ratio"),
        ({"accrual": -3.0}, "accrual"),
        ({"entry": "poisson"}, "entry"),
        ({"allocation": "urn"}, "allocation"),
        ({"block_sizes": [3]}, "block_sizes"),
        ({"weibull_shape": 0.0}, "weibull_shape"),
    ],
)
def test_bad_scenarios_name_the_argument(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as err:
        build_scenario(**{**BASE, **kwargs})  # type: ignore[arg-type]
    assert err.value.field == field


def test_bad_run_arguments() -> None:
    sc = build_scenario(**BASE)  # type: ignore[arg-type]
    with pytest.raises(InputError) as err:
        simulate(sc, 0, 1)
    assert err.value.field == "iterations"
    with pytest.raises(InputError) as err:
        simulate(sc, 10, -1)
    assert err.value.field == "seed"


@pytest.mark.parametrize(
    "extra",
    [
        {"weibull_shape": 0.7},
        {"weibull_shape": 2.0},
        {"control_median": None, "control_hazard": [0.4, 0.1], "piecewise_times": [0, 2]},
    ],
)
def test_event_time_models_have_the_stated_median_and_hazard_ratio(
    extra: dict[str, object],
) -> None:
    sc = build_scenario(**{**BASE, "dropout_rate": 0.0, "allocation": "complete", **extra})  # type: ignore[arg-type]
    _, y, delta, group = draw_trials(sc, chunk_generator(1, 0), 4000)
    assert delta.all()
    control, treated = y[group == 0], y[group == 1]
    assert np.median(control) == pytest.approx(sc.control.median(), rel=0.02)
    # proportional hazards: S_treated(t) = S_control(t) ** HR at the control median
    s_treated = np.mean(treated > sc.control.median())
    assert s_treated == pytest.approx(0.5**0.55, abs=0.01)


def test_dropout_follows_its_cumulative_rate() -> None:
    sc = build_scenario(**{**BASE, "control_median": 1e6, "hazard_ratio": 1.0, "dropout_rate": 0.3})  # type: ignore[arg-type]
    _, y, delta, _ = draw_trials(sc, chunk_generator(2, 0), 3000)
    assert np.mean(~delta & (y <= 12)) == pytest.approx(0.3, abs=0.01)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.floats(0, 1e4, allow_nan=False) | st.sampled_from([0.0, 5.0]), min_size=1, max_size=200
    ),
    st.data(),
)
def test_bucket_select_finds_order_statistics(values: list[float], data: st.DataObject) -> None:
    from oligotrial.design._sim_kernel import bucket_select

    keys = np.array(values)
    m = keys.size
    ranks = np.array(
        sorted(set(data.draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=4)))),
        dtype=np.int64,
    )
    out = np.empty(ranks.size)
    bucket_select(
        keys,
        m,
        ranks,
        out,
        np.empty(m + 1, dtype=np.int64),
        np.empty(m, dtype=np.int64),
        np.empty(m),
    )
    np.testing.assert_array_equal(out, np.sort(keys)[ranks])


@pytest.mark.parametrize("extra", [{}, {"dropout_rate": 0.0}, {"entry": "even", "events": [118]}])
@pytest.mark.parametrize("trials", [400, 2 * PIECE + 3])  # one kernel call; three pieces
def test_fused_exponential_kernel_equals_the_stats_engine(
    extra: dict[str, object], trials: int
) -> None:
    sc = build_scenario(**{**BASE, **extra})  # type: ignore[arg-type]
    fused = dataclasses.asdict(run_chunk(sc, 4, 2, trials))
    ref = dataclasses.asdict(run_chunk(sc, 4, 2, trials, engine="stats"))
    for key in fused:
        np.testing.assert_allclose(fused[key], ref[key], rtol=1e-9)


def test_block_sizes_and_orders_are_uniform() -> None:
    rng = np.random.default_rng(3)
    t = 60_000
    none = np.empty((0, 0), dtype=np.int64)
    group = np.empty((t, 4), dtype=np.int8)
    permuted_blocks(none, 1, np.array([4], dtype=np.int64), rng.random((t, 4)), group)
    codes = group @ np.array([8, 4, 2, 1])
    freq = np.bincount(codes, minlength=16)[[3, 5, 6, 9, 10, 12]] / t
    np.testing.assert_allclose(freq, 1 / 6, atol=0.008)
    permuted_blocks(none, 1, np.array([2, 4], dtype=np.int64), rng.random((t, 4)), group)
    balanced_after_two = np.mean(group[:, 0] != group[:, 1])
    assert balanced_after_two == pytest.approx(0.5 + 0.5 * 4 / 6, abs=0.008)


def test_a_trial_without_events_is_not_a_test() -> None:
    sc = build_scenario(**BASE)  # type: ignore[arg-type]
    entry, y, delta, group = draw_trials(sc, chunk_generator(1, 0), 3)
    delta[1] = False
    ours = _kernel_looks(sc, entry, y, delta, group)
    ref = looks_with_stats(sc, entry, y, delta, group)
    for a, b in zip(ours, ref, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, equal_nan=True)
    assert np.isnan(ours[0][1]).all()
