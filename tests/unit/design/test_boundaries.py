"""Group-sequential bounds: closed-form cases, alpha bookkeeping, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.special import ndtri

from oligotrial.design.boundaries import group_sequential_design
from oligotrial.design.recursive_integration import crossing_probabilities
from oligotrial.design.spending import alpha_spent
from oligotrial.errors import InputError


@pytest.mark.parametrize("sides", [1, 2])
def test_single_look_is_the_fixed_test(sides: int) -> None:
    d = group_sequential_design("pocock", (1.0,), 0.05, sides, 0.8)
    assert d.z[0] == pytest.approx(float(ndtri(1 - 0.05 / sides)), abs=1e-12)
    assert d.inflation_factor == 1.0


@pytest.mark.parametrize("spending", ["obrien-fleming", "pocock", "hwang-shih-decani"])
@pytest.mark.parametrize("sides", [1, 2])
def test_bounds_spend_exactly_the_spending_function(spending: str, sides: int) -> None:
    info = (0.25, 0.6, 0.8, 1.0)
    d = group_sequential_design(spending, info, 0.05, sides, 0.9)
    z = np.array(d.z)
    lower = -z if sides == 2 else np.full(4, -np.inf)
    cr = crossing_probabilities(z, lower, np.array(info))
    np.testing.assert_allclose(np.cumsum(cr.upper + cr.lower), d.cumulative_alpha, rtol=1e-7)
    np.testing.assert_allclose(
        d.cumulative_alpha[:-1], alpha_spent(spending, info, 0.05, sides)[:-1], rtol=1e-12
    )
    assert d.cumulative_alpha[-1] == 0.05
    assert d.inflation_factor > 1.0
    assert sum(d.reject_h1) == pytest.approx(0.9, abs=1e-8)


def test_obrien_fleming_bounds_decrease_and_pocock_nearly_flat() -> None:
    obf = group_sequential_design("obrien-fleming", (0.25, 0.5, 0.75, 1), 0.05, 2, 0.9).z
    poc = group_sequential_design("pocock", (0.25, 0.5, 0.75, 1), 0.05, 2, 0.9).z
    assert all(a > b for a, b in itertools.pairwise(obf))
    assert max(poc) - min(poc) < 0.1


def test_crossing_probability_of_two_looks_matches_monte_carlo() -> None:
    rng = np.random.default_rng(11)
    t = np.array([0.4, 1.0])
    b1 = rng.standard_normal(400_000) * np.sqrt(t[0]) + 0.8 * t[0]
    b2 = b1 + rng.standard_normal(400_000) * np.sqrt(t[1] - t[0]) + 0.8 * (t[1] - t[0])
    z1, z2 = b1 / np.sqrt(t[0]), b2 / np.sqrt(t[1])
    up = np.array([2.5, 2.0])
    cr = crossing_probabilities(up, np.array([-np.inf, -np.inf]), t, drift=0.8)
    mc1 = np.mean(z1 >= up[0])
    mc2 = np.mean((z1 < up[0]) & (z2 >= up[1]))
    assert cr.upper[0] == pytest.approx(mc1, abs=4 * np.sqrt(mc1 / 400_000))
    assert cr.upper[1] == pytest.approx(mc2, abs=4 * np.sqrt(mc2 / 400_000))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"information": (0.6, 0.5, 1.0)}, "information"),
        ({"information": (0.5, 0.9)}, "information"),
        ({"information": (0.0, 1.0)}, "information"),
        ({"power": 1.0}, "power"),
        ({"power": 0.0}, "power"),
        ({"alpha": 0.0}, "alpha"),
        ({"sides": 3}, "sides"),
        ({"spending": "haybittle"}, "spending"),
        ({"futility": (0.0,), "sides": 2}, "futility"),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "spending": "obrien-fleming",
        "information": (0.5, 1.0),
        "alpha": 0.05,
        "sides": 2,
        "power": 0.9,
    }
    args.update(kwargs)
    with pytest.raises(InputError) as err:
        group_sequential_design(**args)  # type: ignore[arg-type]
    assert err.value.field == field


def test_beta_spending_futility_spends_beta_under_the_alternative() -> None:
    d = group_sequential_design(
        "obrien-fleming", (0.3, 0.6, 1.0), 0.025, 1, 0.85, futility_spending="pocock"
    )
    assert d.futility is not None and len(d.futility) == 2
    # futility stops by the last interim spend the beta-spending function at t = 0.6
    assert sum(d.futility_h1) == pytest.approx(0.15 * np.log1p((np.e - 1) * 0.6), abs=1e-8)
    assert sum(d.reject_h1) == pytest.approx(0.85, abs=1e-8)
    with pytest.raises(InputError) as err:
        group_sequential_design(
            "obrien-fleming", (0.5, 1.0), 0.05, 2, 0.9, futility_spending="pocock"
        )
    assert err.value.field == "futility_spending"
    with pytest.raises(InputError) as err:
        group_sequential_design(
            "obrien-fleming", (0.5, 1.0), 0.025, 1, 0.9, futility=(0.0,), futility_spending="pocock"
        )
    assert err.value.field == "futility_spending"
