"""Sample size: closed forms and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtri

from oligotrial.design.sample_size import fixed_events, sample_size_survival
from oligotrial.design.survival_model import Accrual, PiecewiseExponential, dropout_hazard
from oligotrial.errors import InputError


def test_schoenfeld_and_freedman_formulas() -> None:
    z2 = (ndtri(0.975) + ndtri(0.9)) ** 2
    assert fixed_events(0.6, 0.05, 2, 0.9) == pytest.approx(4 * z2 / math.log(0.6) ** 2)
    assert fixed_events(0.6, 0.05, 2, 0.9, 2.0, "freedman") == pytest.approx(
        z2 * (1 + 2 * 0.6) ** 2 / (2 * 0.4**2)
    )


def test_subjects_from_closed_form_event_probability_without_dropout() -> None:
    lam, a, f = math.log(2) / 6, 18.0, 9.0

    def p(rate: float) -> float:
        return 1 - (math.exp(-rate * f) - math.exp(-rate * (a + f))) / (rate * a)

    s = sample_size_survival(
        hazard_ratio=0.7, control_median=6, accrual=a, follow_up=f, alpha=0.025, sides=1, power=0.8
    )
    chi = (p(lam) + p(lam * 0.7)) / 2
    assert s.event_probability == pytest.approx(chi, rel=1e-10)
    assert s.subjects == pytest.approx(s.events / chi, rel=1e-10)


def test_piecewise_model_inverts_its_cumulative_hazard() -> None:
    m = PiecewiseExponential.build([0.3, 0.1, 0.05], [0, 2, 10])
    t = np.array([0.5, 2.0, 7.3, 10.0, 25.0])
    np.testing.assert_allclose(m.quantile_of_cumhaz(m.cumulative_hazard(t)), t, rtol=1e-12)
    np.testing.assert_allclose(m.event_cdf(t, 0.0), -np.expm1(-m.cumulative_hazard(t)), rtol=1e-12)
    assert m.cumulative_hazard(np.array([m.median()]))[0] == pytest.approx(math.log(2))


def test_dropout_rate_is_cumulative_at_dropout_time() -> None:
    phi = dropout_hazard(0.1, 12)
    assert math.exp(-phi * 12) == pytest.approx(0.9)


def test_piecewise_accrual_inverse() -> None:
    acc = Accrual.piecewise([6, 24], [1, 3])
    u = np.array([0.0, 0.05, 0.1, 0.5, 1.0])
    np.testing.assert_allclose(acc.fraction_enrolled(acc.entry_quantile(u)), u, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"hazard_ratio": 0.0}, "hazard_ratio"),
        ({"hazard_ratio": -1.0}, "hazard_ratio"),
        ({"hazard_ratio": 1.0}, "hazard_ratio"),
        ({"control_median": 0.0}, "control_median"),
        ({"accrual": 0.0}, "accrual"),
        ({"follow_up": -1.0}, "follow_up"),
        ({"dropout_rate": 1.0}, "dropout_rate"),
        ({"power": 1.5}, "power"),
        ({"follow_up": None, "subjects": 50.0}, "subjects"),
        ({"method": "lachin"}, "method"),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "hazard_ratio": 0.55,
        "control_median": 3.1,
        "accrual": 24.0,
        "follow_up": 12.0,
        "dropout_rate": 0.1,
    }
    args.update(kwargs)
    with pytest.raises(InputError) as err:
        sample_size_survival(**args)  # type: ignore[arg-type]
    assert err.value.field == field
