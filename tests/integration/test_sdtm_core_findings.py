"""The CDISC CORE findings docs/cdisc.md listed, checked on the exported values of the
12-patient trial (``sdtm_support``): EPOCH from each record's date and the trial design,
AESOC, AESER/AESDTH, deaths and their adverse events (DD), TRREASND, DM.COUNTRY, and the
NCI codes of define.xml's codelists."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
from sdtm_support import child, read_xpt

from oligotrial.clinical.ctcae_terms import soc_of

EPOCHS = {"SCREENING", "TREATMENT", "FOLLOW-UP"}
#: domain -> the date its EPOCH is taken from
DATES = {
    "DS": "DSSTDTC",
    "EX": "EXSTDTC",
    "PR": "PRSTDTC",
    "CM": "CMSTDTC",
    "AE": "AESTDTC",
    "LB": "LBDTC",
    "TU": "TUDTC",
    "TR": "TRDTC",
    "RS": "RSDTC",
}
LINES = {"A": "FIRST-LINE SYSTEMIC THERAPY", "B": "SECOND-LINE SYSTEMIC THERAPY"}


def _frame(sdtm: Path, name: str) -> pd.DataFrame:
    return read_xpt(sdtm / f"{name.lower()}.xpt")[0]


def _treatment_end(sdtm: Path) -> dict[str, str | None]:
    """Per randomized subject, the end of protocol treatment as EX and PR show it: the last
    stop of the arm's line and radiotherapy on or after randomization; None while one of
    them has no stop, or none started."""
    dm, ex, pr = (_frame(sdtm, n) for n in ("DM", "EX", "PR"))
    out: dict[str, str | None] = {}
    for _, d in dm[dm["RFSTDTC"] != ""].iterrows():
        mine = ex[(ex["USUBJID"] == d["USUBJID"]) & (ex["EXCAT"] == LINES[d["ARMCD"]])]
        periods = list(zip(mine["EXSTDTC"], mine["EXENDTC"], strict=True))
        rt = pr[pr["USUBJID"] == d["USUBJID"]]
        periods += list(zip(rt["PRSTDTC"], rt["PRENDTC"], strict=True))
        current = [end for _, end in periods if end == "" or end >= d["RFSTDTC"]]
        out[d["USUBJID"]] = None if not current or "" in current else max(current)
    return out


def _expected_epoch(row: pd.Series, dates: str, dm: pd.Series, end: str | None) -> str:
    day = row[dates]
    if day == "":
        return ""
    if dm["RFSTDTC"] == "" or day < dm["RFSTDTC"]:
        return "SCREENING"
    return "TREATMENT" if end is None or day <= end else "FOLLOW-UP"


def test_epoch_follows_the_trial_design_on_every_record(sdtm: Path) -> None:
    dm = _frame(sdtm, "DM").set_index("USUBJID")
    ends = _treatment_end(sdtm)
    seen: set[str] = set()
    for name, dates in DATES.items():
        frame = _frame(sdtm, name)
        assert "EPOCH" in frame.columns, name
        for _, row in frame.iterrows():
            subject = dm.loc[row["USUBJID"]]
            expected = _expected_epoch(row, dates, subject, ends.get(row["USUBJID"]))
            assert row["EPOCH"] == expected, (name, row["USUBJID"], row[dates])
            seen.add(row["EPOCH"])
    assert seen >= EPOCHS  # screening, treatment and follow-up records all occur
    ds = _frame(sdtm, "DS")
    assert set(ds.loc[ds["DSDECOD"] == "RANDOMIZED", "EPOCH"]) == {"TREATMENT"}
    consent = ds[ds["DSDECOD"] == "INFORMED CONSENT OBTAINED"]
    assert set(consent["EPOCH"]) == {"SCREENING"}


def test_aesoc_is_the_ctcae_terms_system_organ_class(sdtm: Path) -> None:
    ae = _frame(sdtm, "AE")
    assert len(ae) > 0
    assert (ae["AESOC"] == ae["AEBODSYS"]).all()
    assert list(ae["AESOC"]) == [soc_of(term) for term in ae["AEDECOD"]]
    assert "Not coded" not in set(ae["AESOC"])


def test_seriousness_and_death_agree(sdtm: Path) -> None:
    ae = _frame(sdtm, "AE")
    assert set(ae.loc[ae["AESER"] == "N", "AESDTH"]) <= {""}
    serious = ae[ae["AESER"] == "Y"]
    assert len(serious) > 0
    assert (serious["AESDTH"] == serious["AEOUT"].eq("FATAL").map({True: "Y", False: "N"})).all()
    assert set(ae.loc[ae["AEOUT"] == "FATAL", "AESER"]) <= {"Y"}


CRITERIA = ("AESCONG", "AESDISAB", "AESDTH", "AESHOSP", "AESLIFE", "AESMIE")


def test_every_serious_event_meets_a_criterion(sdtm: Path) -> None:
    """CORE-000266: AESER Y has at least one criterion Y; the criteria are Y / N on a
    serious event and null on one that is not (SDTMIG 3.4)."""
    ae = _frame(sdtm, "AE")
    serious = ae[ae["AESER"] == "Y"]
    assert len(serious) > 0
    assert (serious[list(CRITERIA)] == "Y").any(axis=1).all()
    assert set(serious[list(CRITERIA)].to_numpy().ravel()) <= {"Y", "N"}
    assert set(ae.loc[ae["AESER"] == "N", list(CRITERIA)].to_numpy().ravel()) <= {""}
    text = (sdtm / "define.xml").read_text(encoding="utf-8")
    for name in CRITERIA:  # each with its ItemDef, coded by the NY codelist
        start = text.index(f'<ItemDef OID="IT.AE.{name}"')
        item = text[start : text.index("</ItemDef>", start)]
        assert '<CodeListRef CodeListOID="CL.NY"' in item, name
        assert 'Type="Collected"' in item, name


def test_every_death_has_its_details_in_dd(sdtm: Path) -> None:
    dm, dd = _frame(sdtm, "DM"), _frame(sdtm, "DD")
    dead = set(dm.loc[dm["DTHFL"] == "Y", "USUBJID"])
    assert dead and set(dd["USUBJID"]) == dead and len(dd) == len(dead)
    assert set(dd["DDTESTCD"]) == {"PRCDTH"} and set(dd["DDTEST"]) == {"Primary Cause of Death"}
    assert set(dd["DDORRES"]) <= {"DISEASE PROGRESSION", "ADVERSE EVENT", "OTHER", "UNKNOWN"}
    assert set(dd["EPOCH"]) <= EPOCHS


def test_a_measurement_not_done_says_why(sdtm: Path) -> None:
    tr = _frame(sdtm, "TR")
    assert (tr.loc[tr["TRSTAT"] != "NOT DONE", "TRREASND"] == "").all()
    assert (tr.loc[tr["TRSTAT"] == "NOT DONE", "TRREASND"] != "").all()


def test_a_numeric_standard_result_is_the_same_number_as_text(sdtm: Path) -> None:
    lb = _frame(sdtm, "LB")
    done = lb[lb["LBSTRESC"] != ""]
    assert len(done) > 0
    assert (pd.to_numeric(done["LBSTRESC"]) == done["LBSTRESN"]).all()
    assert not done["LBSTRESC"].str.endswith(".0").any()


def test_country_is_the_sites_country(sdtm: Path) -> None:
    dm = _frame(sdtm, "DM")
    assert set(dm["COUNTRY"]) == {"CHN"}
    assert not any("COUNTRY" in line for line in (sdtm / "missing.txt").read_text().splitlines())


def _codes(text: str, codelist: str) -> dict[str, str | None]:
    """CodedValue -> NCI code (None when the item has none) of one codelist in define.xml."""
    start = text.index(f'<CodeList OID="{codelist}"')
    body = text[start : text.index("</CodeList>", start)]
    out: dict[str, str | None] = {}
    for item in body.split("<CodeListItem ")[1:]:
        value = item.split('CodedValue="', 1)[1].split('"', 1)[0]
        alias = item.split('<Alias Context="nci:ExtCodeID" Name="', 1)
        out[value] = alias[1].split('"', 1)[0] if len(alias) > 1 else None
    return out


def test_define_xml_gives_the_nci_codes(sdtm: Path) -> None:
    from oligotrial.interop.cdisc.define import schema_problems

    assert schema_problems(sdtm / "define.xml") == []
    text = (sdtm / "define.xml").read_text(encoding="utf-8")
    lab = _codes(text, "CL.LBTESTCD")
    assert lab["AFP"] == "C74732" and lab["HBVVLD"] == "C92542"
    assert _codes(text, "CL.UNIT")["IU/mL"] == "C67377"
    assert _codes(text, "CL.TUTESTCD") == {"TUMIDENT": "C94523"}
    assert _codes(text, "CL.TRTESTCD") == {
        "LDIAM": "C96684",
        "SAXIS": None,  # not in the terminology available offline: no code invented
        "TUMSTATE": "C96643",
        "SUMDIAM": "C96631",
    }
    assert _codes(text, "CL.RSTESTCD") == {
        "TRGRESP": "C94534",
        "NTRGRESP": "C94535",
        "NEWLPROG": "C103420",
        "OVRLRESP": "C96613",
        "BESTRESP": "C94536",
    }
    assert _codes(text, "CL.EPOCH") == {
        "SCREENING": "C48262",
        "TREATMENT": "C101526",
        "FOLLOW-UP": "C99158",
    }
    assert _codes(text, "CL.COUNTRY") == {"CHN": "C16428"}
    assert _codes(text, "CL.DDTESTCD") == {"PRCDTH": "C99531"}
    assert set(_codes(text, "CL.AEREL").values()) == {None}  # CDISC has no AEREL codelist


def test_inconsistent_deaths_are_listed_and_nothing_invented(trial: Path, tmp_path: Path) -> None:
    """A fatal AE not ticked serious is exported serious and listed; a death recorded as
    caused by an AE without a fatal AE is listed; a site's country reaches DM."""
    broken = tmp_path / "trial"
    broken.mkdir()
    shutil.copy(trial / "trial.sqlite3", broken / "trial.sqlite3")
    with sqlite3.connect(broken / "trial.sqlite3") as con:
        ae, patient, number = con.execute(
            "SELECT a.id, p.id, p.screening_number FROM edc_adverseevent a "
            "JOIN edc_patient p ON p.id = a.patient_id "
            "WHERE p.id NOT IN (SELECT patient_id FROM edc_death) ORDER BY a.id LIMIT 1"
        ).fetchone()
        con.execute(
            "UPDATE edc_adverseevent SET outcome = 'fatal', grade = 5, serious = 0 WHERE id = ?",
            (ae,),
        )
        dead, dead_number = con.execute(
            "SELECT p.id, p.screening_number FROM edc_death d "
            "JOIN edc_patient p ON p.id = d.patient_id WHERE p.id NOT IN "
            "(SELECT patient_id FROM edc_adverseevent WHERE outcome = 'fatal') LIMIT 1"
        ).fetchone()
        con.execute("UPDATE edc_death SET cause = 'adverse_event' WHERE patient_id = ?", (dead,))
        site = con.execute(
            "SELECT s.code FROM edc_site s JOIN edc_patient p ON p.site_id = s.id WHERE p.id = ?",
            (patient,),
        ).fetchone()[0]
        con.execute("UPDATE edc_site SET country = 'KOR' WHERE code = ?", (site,))
    child(broken, "export")
    out = broken / "sdtm"
    listing = (out / "missing.txt").read_text(encoding="utf-8").splitlines()
    assert (
        f"AE subject {number} adverse event {ae}: serious not ticked for a fatal event" in listing
    )
    assert (
        f"DS subject {number} adverse event {ae}: death fatal adverse event without a death record"
        in listing
    )
    assert any(line.startswith(f"AE subject {dead_number} death: outcome") for line in listing)
    events = _frame(out, "AE")
    fatal = events[(events["USUBJID"] == number) & (events["AEOUT"] == "FATAL")]
    assert list(fatal["AESER"]) == ["Y"] and list(fatal["AESDTH"]) == ["Y"]
    dd = _frame(out, "DD")
    assert list(dd.loc[dd["USUBJID"] == dead_number, "DDORRES"]) == ["ADVERSE EVENT"]
    dm = _frame(out, "DM")
    assert set(dm.loc[dm["SITEID"] == site, "COUNTRY"]) == {"KOR"}
