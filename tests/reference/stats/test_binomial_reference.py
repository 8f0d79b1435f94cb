"""Binomial intervals agree with R (binomial_reference.R) and with published examples."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from oligotrial.stats import clopper_pearson, miettinen_nurminen


def test_matches_r(binomial_case: dict[str, Any], match_r: Callable[..., None]) -> None:
    c = binomial_case
    if c["kind"] == "clopper_pearson":
        ci = clopper_pearson(c["x"], c["n"], conf_level=c["conf_level"])
        assert ci.estimate == c["x"] / c["n"]
    else:
        ci = miettinen_nurminen(
            c["x1"],
            c["n1"],
            c["x2"],
            c["n2"],
            conf_level=c["conf_level"],
            correction=c["correction"],
        )
    match_r([ci.lower, ci.upper], [c["lower"], c["upper"]], rtol=1e-10, what=c["name"])


# Fagerland, Lydersen & Laake (2017), Statistical Analysis of Contingency Tables, ch. 4,
# printed to four decimals: Ritland et al. (2007) 0/16 vs 15/72, Miettinen-Nurminen;
# Perondi et al. (2004) 7/34 vs 1/34, Mee (the same interval without N/(N-1)).
@pytest.mark.parametrize(
    ("counts", "correction", "published"),
    [
        ((0, 16, 15, 72), True, (-0.2083, -0.3164, -0.0056)),
        ((7, 34, 1, 34), False, (0.1765, 0.0284, 0.3439)),
    ],
)
def test_published_examples(
    counts: tuple[int, int, int, int], correction: bool, published: tuple[float, ...]
) -> None:
    ci = miettinen_nurminen(*counts, correction=correction)
    assert (round(ci.estimate, 4), round(ci.lower, 4), round(ci.upper, 4)) == published
