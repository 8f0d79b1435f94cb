"""ADaM content: required variables, controlled terms and conventions (ADaM IG 1.3)."""

from __future__ import annotations

import pandas as pd

from oligotrial.interop.cdisc.adam import REQUIRED, with_source_seq
from oligotrial.protocol import load_protocol


def test_every_data_set_is_conformant_and_has_its_required_variables(built):
    for name, ds in built.adam.items():
        assert ds.problems() == [], name
        names = [v.name for v in ds.variables]
        assert set(REQUIRED[name]) <= set(names), name
        assert all(v.label and len(v.label) <= 40 for v in ds.variables)


def test_adsl_identifiers_arms_and_strata_come_from_the_protocol(built):
    adsl = built.adam["ADSL"].frame
    protocol = load_protocol()
    names = {a.code: a.name for a in protocol.arms}
    assert len(adsl) == len(built.results) and adsl["USUBJID"].is_unique
    assert (adsl["SUBJID"] == adsl["USUBJID"]).all()
    assert (adsl["ARM"] == adsl["ARMCD"].map(names)).all()
    assert (adsl["TRT01P"] == adsl["ARM"]).all()
    treated = adsl["SAFFL"] == "Y"
    assert (adsl.loc[treated, "TRT01A"] == adsl.loc[treated, "ARM"]).all()
    assert (adsl.loc[~treated, "ACTARMCD"] == "NOTTRT").all()
    assert set(adsl["AGEU"].dropna()) == {"YEARS"} and adsl["RACE"].isna().all()
    factors = [f for f in protocol.stratification if not f.from_sites]
    for i, factor in enumerate(factors, start=1):
        assert set(adsl[f"STRAT{i}R"]) <= set(factor.levels)
    assert "TRTA" not in adsl.columns  # a BDS variable, not ADSL


def test_adsl_end_of_study_for_dead_withdrawn_and_ongoing_patients(built):
    adsl = built.adam["ADSL"].frame
    by_id = {r.patient.subject_id: r.patient for r in built.results}
    dead = adsl["DTHDT"].notna()
    assert dead.any()
    assert set(adsl.loc[dead, "DTHFL"]) == {"Y"} and adsl.loc[~dead, "DTHFL"].isna().all()
    assert (adsl.loc[dead, "EOSSTT"] == "DISCONTINUED").all()
    allowed = {"DEATH", "LOST TO FOLLOW-UP", "WITHDRAWAL BY SUBJECT"}
    assert set(adsl["DCSREAS"].dropna()) <= allowed
    for row in adsl.itertuples():
        p = by_id[row.USUBJID]
        if p.death_date is None and p.withdrawal is None:
            assert row.EOSSTT == "ONGOING" and pd.isna(row.DCSREAS)
        elif p.withdrawal is None or (p.death_date and p.death_date <= p.withdrawal.date):
            assert row.DCSREAS == "DEATH" and p.death_date == row.EOSDT


def test_adtte_parameters_event_descriptions_and_sources(built):
    tte = built.adam["ADTTE"].frame
    assert set(tte["PARAMCD"]) == {"PFS", "OS", "DOR"}
    assert tte["EVNTDESC"].notna().all() and tte["PARAM"].notna().all()
    censored = tte["CNSR"] > 0
    assert tte.loc[censored, "CNSDTDSC"].notna().all()
    assert tte.loc[~censored, "CNSDTDSC"].isna().all()
    assert tte["SRCDOM"].isin(["RS", "DM", "ADSL"]).all() and tte["SRCSEQ"].isna().all()
    assert (tte.loc[tte["EVNTDESC"] == "Death", "SRCVAR"] == "DTHDTC").all()
    days = [(a - s).days + 1 for a, s in zip(tte["ADT"], tte["STARTDT"], strict=True)]
    assert tte["AVAL"].tolist() == days
    assert tte["TRTP"].notna().all()


def test_adrs_has_param_aval_and_analysis_visits(built):
    rs = built.adam["ADRS"].frame
    ovr = rs[rs["PARAMCD"] == "OVR"]
    assert ovr["PARAM"].str.startswith("Overall Response per RECIST 1.1").all()
    assert ovr["AVISIT"].notna().all() and ovr["AVISIT"].str.match(r"WEEK \d+|UNSCHEDULED").all()
    assert (ovr["AVISIT"] == "WEEK 8").any()
    ranks = {"CR": 1, "PR": 2, "SD": 3, "NON-CR/NON-PD": 4, "PD": 5, "NE": 6}
    assert (rs["AVAL"] == rs["AVALC"].map(ranks)).all()
    best = rs[rs["PARAMCD"].isin(["BOR", "CBOR"])]
    assert best["USUBJID"].is_unique and len(best) == len(built.results)


def test_adae_sequence_treatment_and_grades(built):
    ae = built.adam["ADAE"].frame
    assert not ae.empty
    assert not ae.duplicated(["USUBJID", "AESEQ"]).any()
    assert (ae.groupby("USUBJID")["AESEQ"].min() == 1).all()
    assert (ae["ATOXGR"] == ae["AETOXGR"]).all()
    assert ae["SAFFL"].isin(["Y", "N"]).all()
    assert (ae.loc[ae["SAFFL"] == "Y", "TRTA"].notna()).all()
    emergent = ae["TRTEMFL"] == "Y"
    assert (pd.Series(ae.loc[emergent, "ASTDY"]) >= 1).all()


def test_srcseq_is_filled_from_the_sdtm_records(built):
    calls = []

    def lookup(domain, variable, usubjid, day):
        calls.append(domain)
        return 7 if domain == "RS" else None

    tte = with_source_seq(built.adam["ADTTE"], lookup).frame
    rs = tte["SRCDOM"] == "RS"
    assert rs.any() and (tte.loc[rs, "SRCSEQ"] == 7).all()
    assert tte.loc[~rs, "SRCSEQ"].isna().all() and "ADSL" not in calls
    assert built.adam["ADTTE"].frame["SRCSEQ"].isna().all()  # the original is unchanged
