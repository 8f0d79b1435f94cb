"""Outcome models reproduce the published landmarks (REFERENCE.md §1)."""

import math

import numpy as np
import pytest

from oligotrial.synth.models import PiecewiseExponential, Weibull
from oligotrial.synth.scenarios import RT_FLST_PFS, SCENARIOS, SLST_PFS, get_scenario


def test_arm_a_curve_passes_through_published_points() -> None:
    assert RT_FLST_PFS.quantile_time(0.5) == pytest.approx(8.6, abs=1e-9)
    assert RT_FLST_PFS.survival([6.0, 12.0]) == pytest.approx([0.671, 0.418], abs=1e-12)


def test_arm_b_curve_passes_through_published_points() -> None:
    assert SLST_PFS.quantile_time(0.5) == pytest.approx(3.1, abs=1e-9)
    assert SLST_PFS.survival([6.0]) == pytest.approx([0.214], abs=1e-12)


@pytest.mark.parametrize(
    ("model", "median", "s6"), [(RT_FLST_PFS, 8.6, 0.671), (SLST_PFS, 3.1, 0.214)]
)
def test_sampled_times_match_targets_within_sampling_error(
    model: PiecewiseExponential, median: float, s6: float
) -> None:
    n = 20_000
    t = model.sample(np.random.default_rng(11), n)
    # SE of a sample median: 1 / (2 f(m) sqrt(n)), with density f(m) = hazard(m) * 0.5.
    k = np.searchsorted(model.breaks, median, side="right") - 1
    se_median = 1.0 / (2.0 * model.hazards[k] * 0.5 * math.sqrt(n))
    assert abs(np.median(t) - median) < 3.5 * se_median
    se_s6 = math.sqrt(s6 * (1 - s6) / n)
    assert abs(np.mean(t > 6.0) - s6) < 3.5 * se_s6


def test_inverse_cumulative_hazard_inverts() -> None:
    m = PiecewiseExponential((0.0, 2.0, 5.0), (0.1, 0.4, 0.2))
    t = np.array([0.5, 2.0, 3.3, 7.0, 20.0])
    assert m.inverse_cumulative_hazard(m.cumulative_hazard(t)) == pytest.approx(t)


def test_zero_tail_hazard_gives_infinite_time() -> None:
    m = PiecewiseExponential((0.0, 1.0), (0.5, 0.0))
    assert np.isinf(m.inverse_cumulative_hazard(np.array([2.0]))[0])


def test_bad_pieces_are_refused() -> None:
    with pytest.raises(ValueError, match="breaks"):
        PiecewiseExponential((1.0, 2.0), (0.1, 0.1))
    with pytest.raises(ValueError, match="increase"):
        PiecewiseExponential((0.0, 3.0, 2.0), (0.1, 0.1, 0.1))
    with pytest.raises(ValueError, match="landmarks"):
        PiecewiseExponential.through_landmarks([(3.0, 0.5), (6.0, 0.6)], 0.1)


def test_weibull_median() -> None:
    w = Weibull.from_median(7.45, 1.3)
    assert w.median == pytest.approx(7.45)
    assert w.survival([7.45]) == pytest.approx([0.5])
    x = w.sample(np.random.default_rng(2), 40_000)
    assert abs(np.median(x) - 7.45) < 0.15


def test_post_progression_survival_gives_resorce_os_median_in_slst_arm() -> None:
    rng = np.random.default_rng(5)
    arm = SCENARIOS["benefit"].arm("B")
    n = 40_000
    pfs = arm.pfs.sample(rng, n)
    death_first = rng.random(n) < arm.death_share_of_pfs_events
    os = np.where(death_first, pfs, pfs + arm.post_progression.sample(rng, n))
    assert abs(np.median(os) - 10.6) < 0.25  # RESORCE regorafenib OS 10.6 months


def test_design_scenario_is_proportional_hazards() -> None:
    sc = get_scenario("design")
    ratio = np.array(sc.arm("A").pfs.hazards) / np.array(sc.arm("B").pfs.hazards)
    assert ratio == pytest.approx(0.55)
    assert sc.true_hazard_ratio == 0.55


def test_unknown_scenario_is_a_clear_error() -> None:
    from oligotrial.errors import InputError

    with pytest.raises(InputError, match="scenario: unknown scenario 'huge'"):
        get_scenario("huge")
