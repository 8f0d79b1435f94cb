"""Design exploration: one engine over a grid, streams keyed by the simulated population."""

from __future__ import annotations

import math
from typing import Any

import pytest

from oligotrial.design.explore import cell_record, explore, flat_record, scenario_of, stream_key
from oligotrial.design.grid_spec import grid_from_mapping
from oligotrial.design.scale_out import ChunkJob, run_jobs, simulate
from oligotrial.design.simulation import combine
from oligotrial.errors import InputError

BASE: dict[str, Any] = {
    "hazard_ratio": [0.6, 1.0],
    "control_median": 6,
    "accrual_duration": 18,
    "subjects": 120,
    "events": 90,
    "dropout": 0.05,
    "information": [[1], [0.5, 1]],
    "spending": ["obrien-fleming", "pocock"],
    "futility": ["none", "obrien-fleming"],
}


def grid(**changes: Any) -> Any:
    return grid_from_mapping({**BASE, **changes}, "grid")


def test_every_cell_is_the_engine_run_on_its_stream() -> None:
    spec = grid()
    ex = explore(spec, 500, 11, chunk_size=200, workers=1)
    assert len(ex.cells) == 12  # 2 HR x (2 single-look + 2 x 2 two-look designs)
    for c in ex.cells:
        sc, _ = scenario_of(c.cell, spec)
        alone = simulate(sc, 500, 11, chunk_size=200)
        assert c.result.iterations == 500 and c.result.seed == 11
        assert c.stream == stream_key(c.cell, spec)
        # the same chunks with the cell's stream as the first spawn key
        jobs = [ChunkJob(sc, k, t, (c.stream,)) for k, t in ((0, 200), (1, 200), (2, 100))]
        assert combine(sc, run_jobs(jobs, 11), 11, 200) == c.result
        assert alone != c.result  # a single run draws from the root stream instead


def test_designs_on_the_same_population_share_their_trials() -> None:
    ex = explore(grid(spending=["obrien-fleming", "pocock"]), 400, 3)
    by = {
        (
            c.cell.hazard_ratio,
            c.cell.information,
            c.cell.value("spending"),
            c.cell.value("futility"),
        ): c
        for c in ex.cells
    }
    # one look: both spending functions give the bound z_(1-alpha), so the same numbers
    assert (
        by[(0.6, (1.0,), "obrien-fleming", "none")].result.power
        == by[(0.6, (1.0,), "pocock", "none")].result.power
    )
    assert len({c.stream for c in ex.cells if c.cell.hazard_ratio == 0.6}) == 1
    assert len({c.stream for c in ex.cells}) == 2
    # efficacy stopping is the same with and without (non-binding) futility stopping until
    # futility stops a trial that would have crossed later: never at look 1
    a = by[(0.6, (0.5, 1.0), "pocock", "none")].result
    b = by[(0.6, (0.5, 1.0), "pocock", "obrien-fleming")].result
    assert a.reject_per_look[0] == b.reject_per_look[0]
    assert b.futility_per_look[0] > 0 and b.power <= a.power


def test_a_cell_gives_the_same_numbers_in_any_grid() -> None:
    whole = explore(grid(), 300, 5)
    part = explore(grid(hazard_ratio=1.0, spending="pocock", futility="obrien-fleming"), 300, 5)
    (two_look,) = [c for c in part.cells if len(c.cell.information) == 2]
    match = [
        c
        for c in whole.cells
        if c.cell.hazard_ratio == 1.0
        and c.cell.information == (0.5, 1.0)
        and c.cell.value("spending") == "pocock"
        and c.cell.value("futility") == "obrien-fleming"
    ]
    assert match[0].result == two_look.result


def test_threads_do_not_change_the_numbers() -> None:
    one = explore(grid(), 300, 9, chunk_size=100, workers=1)
    two = explore(grid(), 300, 9, chunk_size=100, workers=2)
    assert [c.result for c in one.cells] == [c.result for c in two.cells]


def test_operating_characteristics_make_sense() -> None:
    ex = explore(grid(hazard_ratio=[0.5, 1.0], subjects=200, events=150), 2000, 1)
    for c in ex.cells:
        r = c.result
        assert math.isclose(sum(r.stop_per_look), 1.0)
        assert r.power == pytest.approx(sum(r.reject_per_look))
        if c.cell.hazard_ratio == 1.0:
            assert r.power < 0.025 + 3 * r.mc_se
        else:
            assert r.power > 0.9
        assert r.expected_events <= c.cell.events
        rec = cell_record(c, ex.spec)
        assert rec["efficacy_per_look_se"][0] == pytest.approx(
            math.sqrt(r.reject_per_look[0] * (1 - r.reject_per_look[0]) / 2000)
        )


def test_flat_records_have_a_column_per_look() -> None:
    ex = explore(grid(hazard_ratio=0.7), 200, 2)
    rows = [flat_record(c, ex.spec, ex.max_looks) for c in ex.cells]
    assert all(list(r) == list(rows[0]) for r in rows)
    single = next(r for r in rows if r["information"] == "1")
    assert single["efficacy_2"] is None and single["events_per_look"] == "90"
    double = next(r for r in rows if r["futility"] == "obrien-fleming")
    assert double["events_per_look"] == "45 90" and double["futility_bound_1"] is not None


def test_bad_run_arguments_are_named() -> None:
    for kwargs, field in (({"trials": 0}, "trials"), ({"seed": -1}, "seed")):
        with pytest.raises(InputError) as err:
            explore(grid(), **{"trials": 10, "seed": 1, **kwargs})
        assert err.value.field == field
