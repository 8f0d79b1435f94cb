"""Every adverse-event table counts the one safety population, and the report says so."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from oligotrial.endpoints.safety_population import safety_population
from oligotrial.errors import InputError
from oligotrial.reports import build_report, render_html
from oligotrial.reports.formatting import safety_notes

ARMS = {"A": "RT + continued FLST", "B": "Early switch to SLST"}


@pytest.fixture(scope="module")
def untreated(inputs):
    """One randomized patient per arm who never started treatment, chosen among those with a
    grade >= 3 treatment-emergent AE so that leaving them out changes the counts."""
    ae = inputs.adae
    severe = ae[ae["AETOXGR"] >= 3]
    chosen = {arm: sorted(severe[severe["ARMCD"] == arm].USUBJID.unique())[0] for arm in ARMS}
    adsl = inputs.adsl.copy()
    for uid in chosen.values():
        i = adsl.index[adsl["USUBJID"] == uid][0]
        adsl.loc[i, ["SAFFL", "TRTSDT", "TRTEDT", "DCTREAS"]] = ["N", None, None, None]
    adsl["DTHDT"] = adsl["DTHDT"].astype(object)
    adsl.loc[adsl["USUBJID"] == chosen["A"], ["DCSREAS", "DTHDT", "DTHFL"]] = [
        "WITHDREW",
        None,
        "N",
    ]
    adsl.loc[adsl["USUBJID"] == chosen["B"], ["DCSREAS", "DTHDT", "DTHFL"]] = [None, None, "N"]
    return dataclasses.replace(inputs, adsl=adsl), chosen


@pytest.fixture(scope="module")
def untreated_report(untreated):
    return build_report(untreated[0])


@pytest.fixture(scope="module")
def untreated_html(untreated_report):
    return render_html(untreated_report)


def _n(inputs, _chosen, arm):
    return int((inputs.adsl["ARMCD"] == arm).sum()) - 1


def _ae_tables(report):
    return {
        "summary": report.ae_summary,
        "by term": report.ae_by_term,
        "grade 3": report.ae_grade3,
        "serious": report.ae_serious,
        "grade 5": report.ae_grade5,
    }


def test_population_leaves_out_the_untreated(untreated, untreated_report) -> None:
    inputs, chosen = untreated
    pop = untreated_report.safety
    assert {e.usubjid for e in pop.excluded} == set(chosen.values())
    for arm in ARMS:
        assert pop.n[arm] == _n(inputs, chosen, arm)
        assert pop.randomized[arm] == pop.n[arm] + 1
        assert chosen[arm] not in pop.arms
    assert untreated_report.consort.treated == pop.n
    assert untreated_report.consort.allocated == pop.randomized


def test_every_ae_table_has_the_safety_n_in_its_headers(untreated, untreated_report) -> None:
    inputs, chosen = untreated
    for name, table in _ae_tables(untreated_report).items():
        header = " ".join(map(str, table.columns))
        for arm, label in ARMS.items():
            n = _n(inputs, chosen, arm)
            assert f"{label} (n={n})" in header, name
            assert f"{label} (n={n + 1})" not in header, name


def _expected(inputs, chosen, arm, keep):
    ae = inputs.adae
    ae = ae[(ae["ARMCD"] == arm) & ~ae["USUBJID"].isin(chosen.values()) & keep(ae)]
    k, n = ae.USUBJID.nunique(), _n(inputs, chosen, arm)
    return f"{k} ({100 * k / n:.1f}%)" if n else "0"


def test_summary_percentages_use_the_safety_n(untreated, untreated_report) -> None:
    inputs, chosen = untreated
    table = untreated_report.ae_summary.set_index("")
    rules = {
        "Any adverse event": lambda d: d["AETOXGR"] >= 1,
        "Grade ≥ 3": lambda d: d["AETOXGR"] >= 3,
        "Grade 5 (fatal)": lambda d: d["AETOXGR"] == 5,
        "Serious": lambda d: d["AESER"] == "Y",
    }
    for row, keep in rules.items():
        for j, arm in enumerate(ARMS):
            assert table.loc[row].iloc[j] == _expected(inputs, chosen, arm, keep), row


def test_term_tables_percentages_use_the_safety_n(untreated, untreated_report) -> None:
    inputs, chosen = untreated
    checks = [
        (untreated_report.ae_by_term, "grade ≥ 3", lambda d: d["AETOXGR"] >= 3),
        (untreated_report.ae_by_term, "any grade", lambda d: d["AETOXGR"] >= 1),
        (untreated_report.ae_grade3, "grade ≥ 3", lambda d: d["AETOXGR"] >= 3),
        (untreated_report.ae_serious, "serious", lambda d: d["AESER"] == "Y"),
    ]
    compared = 0
    for table, column, keep in checks:
        terms = table[table["Preferred term"] != ""]
        for _, row in terms.iterrows():
            term = row["Preferred term"]
            for arm, label in ARMS.items():
                n = _n(inputs, chosen, arm)
                got = row[f"{label} (n={n}): {column}"]
                assert got == _expected(
                    inputs, chosen, arm, lambda d, k=keep, t=term: k(d) & (d["AEDECOD"] == t)
                )
                compared += 1
    assert compared > 20


def test_html_shows_one_n_per_arm_and_states_the_exclusion(untreated, untreated_html) -> None:
    inputs, chosen = untreated
    section = untreated_html.split('<section id="safety">')[1].split("</section>")[0]
    for arm, label in ARMS.items():
        ns = set(re.findall(re.escape(label) + r" \(n=(\d+)\)", section))
        assert ns == {str(_n(inputs, chosen, arm))}, label
        assert f"n = {_n(inputs, chosen, arm)} in {label}" in section
    assert "Excluded: 2 randomized patients who never started study treatment" in section
    assert (
        f"{chosen['A']} ({ARMS['A']}), left the study before the first dose (withdrew)" in section
    )
    assert f"{chosen['B']} ({ARMS['B']}), no study treatment started" in section
    assert "adverse events of excluded patients are not counted" in section
    n_itt = len(inputs.adsl)
    assert f"Intention-to-treat population: all {n_itt} randomized patients" in untreated_html
    pfs = untreated_html.split('<section id="pfs">')[1].split("</section>")[0]
    assert "Intention-to-treat population" in pfs


def test_full_safety_population_says_nobody_is_excluded(report) -> None:
    html = render_html(report)
    section = html.split('<section id="safety">')[1].split("</section>")[0]
    assert "No randomized patient is excluded from the safety population." in section
    assert "Source: ADSL SAFFL." in section


def _adsl(**columns):
    base = {"USUBJID": ["P1", "P2", "P3", "P4"], "ARMCD": ["A", "A", "B", "B"]}
    return pd.DataFrame(base | columns)


def test_derived_from_treatment_start_when_no_flag() -> None:
    pop = safety_population(
        _adsl(
            TRTSDT=["2025-01-02", None, "2025-01-03", "2025-01-04"],
            DTHDT=[None, "2025-01-05", None, None],
        ),
        ARMS,
    )
    assert pop.n == {"A": 1, "B": 2}
    assert [(e.usubjid, e.reason) for e in pop.excluded] == [("P2", "died before the first dose")]
    assert pop.source.startswith("ADSL TRTSDT")


def test_without_treatment_data_everyone_counts_and_the_report_says_so() -> None:
    pop = safety_population(_adsl(), ARMS)
    assert pop.n == {"A": 2, "B": 2} and pop.excluded == ()
    assert "every randomized patient counted" in safety_notes(pop, ARMS)[0]


def test_flag_contradicting_the_treatment_start_is_refused() -> None:
    with pytest.raises(InputError, match=r"adsl\.SAFFL: Y for P2 but TRTSDT"):
        safety_population(
            _adsl(SAFFL=["Y", "Y", "Y", "N"], TRTSDT=["2025-01-02", None, "2025-01-03", None]), ARMS
        )
    with pytest.raises(InputError, match=r"adsl\.SAFFL: must be Y or N"):
        safety_population(_adsl(SAFFL=["Y", "", "Y", "Y"]), ARMS)


def test_arm_actually_received_when_given() -> None:
    pop = safety_population(
        _adsl(SAFFL=["Y", "Y", "Y", "N"], ACTARMCD=["A", "B", None, None]), ARMS
    )
    assert pop.arms == {"P1": "A", "P2": "B", "P3": "B"}
    assert pop.n == {"A": 1, "B": 2} and pop.switched == 1
    assert pop.treated_by_randomized_arm == {"A": 2, "B": 1}
    assert any("arm of the treatment received" in s for s in safety_notes(pop, ARMS))
    with pytest.raises(InputError, match=r"adsl\.ACTARMCD: unknown arm 'C'"):
        safety_population(_adsl(ACTARMCD=["C", "A", "B", "B"]), ARMS)


def test_ae_tables_when_nobody_is_in_the_safety_population_yet(inputs) -> None:
    """An early interim where no one has started treatment: no member and no AE row (pandas
    gives the empty member list a float key, ADAE a text one). The tables count zero."""
    from oligotrial.reports.tables import ae_summary

    population = safety_population(inputs.adsl, tuple(ARMS))
    empty = dataclasses.replace(population, arms={}, n=dict.fromkeys(ARMS, 0))
    adae = inputs.adae.iloc[0:0].astype({"USUBJID": "str"})  # no AE row either
    table = ae_summary(adae, empty, ARMS)
    assert not table.empty
    counts = table.drop(columns=table.columns[0]).astype(str)
    assert counts.map(lambda c: c.startswith("0")).all().all()
