"""Numbers in the report equal those of the stats engine computed here on the same frames."""

from __future__ import annotations

import numpy as np
import pytest

from oligotrial.reports import render_html
from oligotrial.stats import clopper_pearson, kaplan_meier, logrank_test, miettinen_nurminen
from oligotrial.stats.cox import cox_ph


def _tte(inputs, param):
    d = inputs.adtte[inputs.adtte["PARAMCD"] == param].merge(
        inputs.adsl[["USUBJID", "STRAT_OLIGOPROGRESSION_SITE", "STRAT_FLST_ICI"]], on="USUBJID"
    )
    strata = (d.STRAT_OLIGOPROGRESSION_SITE + "/" + d.STRAT_FLST_ICI).to_numpy()
    return d, (d["CNSR"] == 0).astype(int).to_numpy(), strata


@pytest.fixture(scope="module")
def html(report):
    return render_html(report)


@pytest.mark.parametrize("param", ["PFS", "OS"])
def test_medians_and_cis_per_arm(inputs, report, html, param) -> None:
    d, event, _ = _tte(inputs, param)
    endpoint = report.pfs if param == "PFS" else report.os
    for arm in ("A", "B"):
        sel = (d["ARMCD"] == arm).to_numpy()
        km = kaplan_meier(d.MONTHS.to_numpy()[sel], event[sel])
        curve = endpoint.curves[arm]
        assert curve.median == km.median
        assert (curve.median_lower, curve.median_upper) == km.median_ci
        assert curve.events == int(event[sel].sum())
        lo, hi = km.median_ci
        # a limit whose band never reaches 0.5 is not estimable (NE), not "not reached"
        text = f"{km.median:.1f} ({lo:.1f}–{'NE' if hi is None else f'{hi:.1f}'})"
        assert text in html
        s6 = km.survival_at([6.0])[0]
        assert f"{100 * s6:.1f} (" in html


@pytest.mark.parametrize("param", ["PFS", "OS"])
def test_stratified_hr_and_logrank(inputs, report, html, param) -> None:
    d, event, strata = _tte(inputs, param)
    endpoint = report.pfs if param == "PFS" else report.os
    fit = cox_ph(
        d.MONTHS.to_numpy(), event, {"a": (d["ARMCD"] == "A").to_numpy(float)}, strata=strata
    )
    assert endpoint.hr_stratified.hr == pytest.approx(fit.hazard_ratio["a"], rel=1e-12)
    text = f"{fit.hazard_ratio['a']:.2f} ({fit.hr_lower['a']:.2f}–{fit.hr_upper['a']:.2f})"
    assert text in html
    lr = logrank_test(d.MONTHS.to_numpy(), event, d.ARMCD.to_numpy(), strata=strata)
    assert endpoint.logrank.chisq == pytest.approx(lr.chisq, rel=1e-12)
    assert f"χ² = {lr.chisq:.2f}" in html


def test_response_rates_and_difference(inputs, report, html) -> None:
    bor = inputs.adrs[inputs.adrs["PARAMCD"] == "BOR"]
    counts = {}
    for arm in ("A", "B"):
        n = int((inputs.adsl["ARMCD"] == arm).sum())
        x = int(bor[(bor["ARMCD"] == arm) & bor.AVALC.isin(["CR", "PR"])].shape[0])
        ci = clopper_pearson(x, n)
        counts[arm] = (x, n)
        assert (
            f"{x}/{n} = {100 * ci.estimate:.1f}% ({100 * ci.lower:.1f}–{100 * ci.upper:.1f})"
            in html
        )
    diff = miettinen_nurminen(*counts["A"], *counts["B"])
    assert report.response.orr_difference == pytest.approx((diff.estimate, diff.lower, diff.upper))
    assert f"{100 * diff.estimate:.1f} ({100 * diff.lower:.1f}–{100 * diff.upper:.1f})" in html


def test_adverse_event_counts(inputs, report) -> None:
    ae = inputs.adae
    n_b = int((inputs.adsl["ARMCD"] == "B").sum())
    g3 = ae[(ae["ARMCD"] == "B") & (ae["AETOXGR"] >= 3)].USUBJID.nunique()
    row = report.ae_summary.set_index("").loc["Grade ≥ 3"]
    assert row.iloc[1] == f"{g3} ({100 * g3 / n_b:.1f}%)"


def test_numbers_at_risk_count_patients_still_followed(inputs, report) -> None:
    d, _, _ = _tte(inputs, "PFS")
    curve = report.pfs.curves["A"]
    times = [0.0, 3.0, 6.0, 12.0]
    expected = [int(((d["ARMCD"] == "A") & (d["MONTHS"] >= t)).sum()) for t in times]
    assert curve.at_risk(times) == expected


def test_interim_matches_design_package(report) -> None:
    from oligotrial.design.monitoring import interim_status

    i = report.interim
    events = sum(c.events for c in report.pfs.curves.values())
    st = interim_status(
        events=[events], z=-report.pfs.logrank.z, planned_events=[118], hazard_ratio=0.55
    )
    assert i is not None and i.events == events
    assert i.bound == pytest.approx(st.bound)
    assert i.conditional_power_trend == pytest.approx(st.conditional_power_trend)
    assert np.isfinite(i.final_bound)


def test_signs_agree_under_benefit(report) -> None:
    assert report.pfs.hr_stratified.hr < 1.0
    assert report.pfs.logrank.z > 0  # positive favours arm A
    assert report.interim.z_favouring_experimental == report.pfs.logrank.z
    assert report.interim.conditional_power_trend > report.interim.conditional_power_design - 1


def test_hazard_ratio_not_estimable_is_none() -> None:
    from oligotrial.reports.statistics import hazard_ratio

    t = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    arm = np.array(["A", "A", "A", "B", "B", "B"])
    assert hazard_ratio(t, np.array([0, 0, 0, 1, 1, 1]), arm, "A", "B") is None  # no events in A
    assert hazard_ratio(t, np.zeros(6, int), arm, "A", "B") is None
    assert hazard_ratio(t, np.ones(6, int), np.array(["A"] * 6), "A", "B") is None
    # all A events before every B event: the coefficient runs off to infinity
    assert hazard_ratio(t, np.ones(6, int), arm, "A", "B") is None
