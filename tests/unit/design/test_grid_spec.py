"""Grid specifications: strict validation naming the path (and line), and the cells."""

from __future__ import annotations

from typing import Any

import pytest

from oligotrial.design.grid_spec import Spending, grid_from_mapping
from oligotrial.errors import InputError
from oligotrial.protocol._yaml_lines import load_yaml_with_lines

BASE: dict[str, Any] = {
    "hazard_ratio": [0.6, 0.8],
    "control_median": 6,
    "accrual_duration": 18,
    "subjects": 220,
    "events": 180,
}


def spec(**changes: Any) -> Any:
    data = {**BASE, **changes}
    return grid_from_mapping({k: v for k, v in data.items() if v is not None}, "grid.yaml")


def error(**changes: Any) -> InputError:
    with pytest.raises(InputError) as err:
        spec(**changes).cells()
    return err.value


def test_defaults_and_cells() -> None:
    s = spec(information=[[1], [0.5, 1]], spending=["pocock", "hwang-shih-decani:-2"])
    assert s.alpha == 0.025 and s.sides == 1 and s.entry == "random"
    assert s.varying == ("hazard_ratio", "information", "spending")
    cells = s.cells()
    assert len(cells) == 8 and [c.index for c in cells] == list(range(8))
    assert cells[0].hazard_ratio == 0.6 and cells[-1].hazard_ratio == 0.8  # last axis fastest
    assert cells[-1].spending == Spending("hwang-shih-decani", -2.0)
    assert cells[-1].events_per_look == (90, 180)
    assert cells[0].dropout == 0.0 and cells[0].futility is None


def test_accrual_rate_gives_the_duration() -> None:
    cells = spec(accrual_duration=None, accrual_rate=[10, 20], subjects=[200, 300]).cells()
    assert {(c.subjects, c.accrual_rate, c.accrual_duration) for c in cells} == {
        (200, 10.0, 20.0),
        (300, 10.0, 30.0),
        (200, 20.0, 10.0),
        (300, 20.0, 15.0),
    }


def test_futility_on_single_look_plans_collapses_to_one_cell() -> None:
    s = spec(hazard_ratio=0.7, information=[[1], [0.5, 1]], futility=["none", "pocock"])
    cells = s.cells()
    assert [(c.information, c.value("futility")) for c in cells] == [
        ((1.0,), "none"),
        ((0.5, 1.0), "none"),
        ((0.5, 1.0), "pocock"),
    ]


def test_looks_round_up_to_whole_events() -> None:
    (cell,) = spec(hazard_ratio=0.7, events=100, information=[[0.333, 0.667, 1]]).cells()
    assert cell.events_per_look == (34, 67, 100)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"hazard_rato": 0.7}, "hazard_rato", "unknown key"),
        ({"hazard_ratio": [0.7, -1]}, "hazard_ratio[1]", "must be > 0"),
        ({"hazard_ratio": True}, "hazard_ratio", "must be a number"),
        ({"control_median": "6"}, "control_median", "must be a number"),
        ({"control_median": float("nan")}, "control_median", "finite"),
        ({"subjects": 220.0}, "subjects", "whole number"),
        ({"events": [0]}, "events[0]", ">= 1"),
        ({"dropout": 1}, "dropout", "[0, 1)"),
        ({"information": [0.5, 1]}, "information[0]", "list of information fractions"),
        ({"information": [[0.5, 0.4, 1]]}, "information[0]", "increase strictly"),
        ({"information": [[0.5, 0.9]]}, "information[0]", "last fraction must be 1"),
        ({"information": [[0, 1]]}, "information[0][0]", "(0, 1]"),
        ({"spending": "haybittle"}, "spending", "must be one of"),
        ({"spending": "pocock:2"}, "spending", "must be one of"),
        ({"spending": "hwang-shih-decani:x"}, "spending", "parameter"),
        ({"futility": ["none", 3]}, "futility[1]", "must be one of"),
        ({"sides": 2, "futility": "pocock"}, "futility", "one-sided"),
        ({"sides": 3}, "sides", "1 or 2"),
        ({"sides": 1.0}, "sides", "1 or 2"),
        ({"alpha": 0}, "alpha", "(0, 1)"),
        ({"power": 0.01}, "power", "alpha/sides"),
        ({"entry": "poisson"}, "entry", "random, even"),
        ({"accrual_rate": 10}, "accrual_duration", "exactly one"),
        ({"accrual_duration": None}, "accrual_duration", "exactly one"),
        ({"events": None}, "events", "required"),
        ({"hazard_ratio": [0.7, 0.7]}, "hazard_ratio[1]", "listed twice"),
        ({"hazard_ratio": []}, "hazard_ratio", "at least one"),
        ({"events": 300}, "events", "as many subjects"),
        ({"events": 3, "information": [[0.2, 0.3, 1]]}, "information", "increase strictly"),
    ],
)
def test_bad_grids_name_the_value(changes: dict[str, Any], field: str, words: str) -> None:
    err = error(**changes)
    assert err.field == field
    assert words in err.problem


def test_the_grid_must_be_a_mapping_and_not_too_large() -> None:
    with pytest.raises(InputError, match="mapping"):
        grid_from_mapping([1, 2], "grid.yaml")
    with pytest.raises(InputError, match="at most 10000"):
        spec(hazard_ratio=[0.5 + i / 1000 for i in range(101)], control_median=list(range(1, 101)))


def test_yaml_errors_name_the_line() -> None:
    text = "hazard_ratio: [0.6, 0.8]\ncontrol_median: 6\naccrual_duration: 18\nsubjects: 220\n"
    text += "events: 180\ninformation:\n  - [1]\n  - [0.5, 1.5]\n"
    data, lines = load_yaml_with_lines(text, "grid.yaml")
    with pytest.raises(InputError) as err:
        grid_from_mapping(data, "grid.yaml", lines)
    assert err.value.field == "information[1][1]"
    assert "(grid.yaml line 8)" in err.value.problem


def test_option_style_names_the_option() -> None:
    data = {**BASE, "hazard_ratio": [0.6, 0.0]}
    with pytest.raises(InputError) as err:
        grid_from_mapping(data, "command line", option_style=True)
    assert err.value.field == "--hazard-ratio value 2"
