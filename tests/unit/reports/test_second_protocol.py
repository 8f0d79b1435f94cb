"""The report runs another trial when given another protocol file: its id, title, arms,
comparison, strata, criteria reasons, thresholds and design come from that file, and
nothing of the shipped protocol (NCT06841172) appears."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from oligotrial.errors import InputError
from oligotrial.protocol import load_protocol, protocol_from_data
from oligotrial.reports import ReportInputs, build_report, render_html

SECOND = Path(__file__).parents[1] / "protocol" / "data" / "oligo_breast.yaml"


def _frames(seed: int = 11, per_arm: int = 14) -> dict[str, pd.DataFrame]:
    """A small synthetic data set of the second protocol: arms S, R, X; stratum metastases."""
    rng = np.random.default_rng(seed)
    arms = np.repeat(["S", "R", "X"], per_arm)
    ids = [f"P{i:03d}" for i in range(arms.size)]
    adsl = pd.DataFrame(
        {
            "USUBJID": ids,
            "ARMCD": arms,
            "STRAT_METASTASES": rng.choice(["1", "2-3"], arms.size),
            "SEX": "F",
            "AGEGR1": rng.choice(["<65", ">=65"], arms.size),
        }
    )
    scale = np.where(arms == "R", 18.0, 10.0)
    tte = []
    for param, factor in (("PFS", 1.0), ("OS", 2.5)):
        months = rng.exponential(scale * factor)
        follow = rng.uniform(8.0, 30.0, arms.size)
        tte.append(
            pd.DataFrame(
                {
                    "USUBJID": ids,
                    "PARAMCD": param,
                    "AVAL": np.minimum(months, follow),
                    "AVALU": "MONTHS",
                    "CNSR": (months > follow).astype(int),
                }
            )
        )
    bor = rng.choice(["CR", "PR", "SD", "PD"], arms.size, p=[0.1, 0.3, 0.4, 0.2])
    adrs = pd.DataFrame({"USUBJID": ids, "PARAMCD": "BOR", "AVALC": bor})
    adae = pd.DataFrame(
        {
            "USUBJID": ids[:3],
            "AEBODSYS": "Blood",
            "AEDECOD": "Anaemia",
            "AETOXGR": [1, 3, 2],
            "AESER": "N",
        }
    )
    screening = pd.DataFrame(
        {
            "SCRID": [f"C{i}" for i in range(8)],
            "ELIGFL": ["N", "N", "N", "N", "Y", "Y", "Y", "Y"],
            "FAILCRIT": ["I1", "I2", "I4", "E2", None, None, None, None],
        }
    )
    return {
        "adsl": adsl,
        "adtte": pd.concat(tte, ignore_index=True),
        "adrs": adrs,
        "adae": adae,
        "screening": screening,
    }


@pytest.fixture(scope="module")
def second_html() -> str:
    inputs = ReportInputs(**_frames(), protocol=load_protocol(SECOND))
    return render_html(build_report(inputs, dsmb=True))


def test_identity_arms_and_comparison_come_from_the_file(second_html: str) -> None:
    html = second_html
    assert "TEST-OMBC-01: DSMB report" in html
    assert "SBRT to all sites of oligometastatic breast cancer plus standard therapy" in html
    assert "Protocol version 0.3" in html or "TEST-OMBC-01 version 0.3" in html
    for name in (
        "Standard systemic therapy",
        "SBRT + standard systemic therapy",
        "Observation after SBRT",
    ):
        assert name in html
    assert "Hazard ratio R vs S, stratified Cox (95% CI)" in html
    assert "Hazard ratios compare arm R (SBRT + standard systemic therapy) with arm S" in html


def test_criteria_reasons_carry_the_files_thresholds(second_html: str) -> None:
    report = build_report(ReportInputs(**_frames(), protocol=load_protocol(SECOND)))
    reasons = report.consort.ineligible_by_reason
    assert reasons == {
        "Age outside 21–80": 1,
        "More than 3 metastases or 2 organ systems": 1,
        "Disease controlled < 180 days": 1,
        "E2: Pregnant or breastfeeding.": 1,
    }


def test_design_strata_and_response_rule_come_from_the_file(second_html: str) -> None:
    html = second_html
    for text in (
        "400 / 250",
        "0.025 (1-sided)",
        "80%",
        "36 / 24",
        "Lan-DeMets, Pocock type",
        "0.33, 0.66, 1",
        "Metastases (1 vs 2 or 3)",
        "confirmed (≥ 28 days apart) (RECIST 1.1), SD ≥ 56 days",
        "Confirmed best overall response per RECIST 1.1",
        "SBRT + standard systemic therapy vs Standard systemic therapy (control)",
    ):
        assert text in html, text


def test_nothing_of_the_shipped_protocol_appears(second_html: str) -> None:
    html = re.sub(r"data:image/png;base64,[^\"]+", "", second_html)  # the text only
    shipped = load_protocol()
    for text in (
        "NCT06841172",
        "FLST",
        "SLST",
        "HCC",
        "BCLC",
        "Child-Pugh",
        "ICI",
        "hepatic",
        *(a.name for a in shipped.arms),
        shipped.title[:40],
        "132 / 118",
        "0.55",
    ):
        assert text not in html, text


def test_three_arm_report_compares_only_the_protocols_pair() -> None:
    frames = _frames()
    report = build_report(ReportInputs(**frames, protocol=load_protocol(SECOND)))
    assert set(report.pfs.curves) == {"S", "R", "X"}  # every arm is described
    assert set(report.forest[0].n) == {"R", "S"}  # only R vs S is compared
    assert report.pfs.hr_stratified is not None
    assert report.pfs.hr_stratified.n == 2 * 14  # the X arm is left out


def test_a_protocol_without_a_comparison_is_refused() -> None:
    data = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    del data["report"]
    bare = protocol_from_data(data, "bare.yaml")
    with pytest.raises(InputError, match=r"protocol\.report"):
        ReportInputs(**_frames(), protocol=bare)


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        ({"I1": "Age outside {age_minimum}"}, "report.criterion_reasons.I1", "'age_minimum'"),
        ({"I9": "No such criterion"}, "(top level)", "report.criterion_reasons: no criterion I9"),
        ({"I1": "Age {age_min"}, "report.criterion_reasons", "I1:"),
    ],
)
def test_reasons_must_name_criteria_and_settings_of_the_file(
    edit: dict[str, str], field: str, words: str
) -> None:
    from oligotrial.errors import ProtocolError

    data = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    data["report"]["criterion_reasons"] = edit
    with pytest.raises(ProtocolError) as err:
        protocol_from_data(data, "edited.yaml")
    assert err.value.field == field
    assert words in str(err.value)
