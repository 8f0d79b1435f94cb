"""The demo's database: allocations from the list in order, a verifying audit trail,
follow-up entered for every randomized patient, PFS/OS derived from it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict

import pandas as pd

from oligotrial.synth import analysis_frames, simulate_trial


def _db(demo_dir):
    return sqlite3.connect(f"file:{demo_dir / 'trial.sqlite3'}?mode=ro", uri=True)


def test_every_randomized_patient_has_the_next_slot_of_its_stratum(demo_dir, manifest, cli):
    with _db(demo_dir) as con:
        rows = con.execute(
            "SELECT a.stratum, a.arm, a.randomization_number, s.stratum, s.sequence, s.arm, "
            "s.patient_id, a.patient_id FROM edc_allocation a "
            "JOIN edc_allocationslot s ON s.id = a.slot_id ORDER BY a.id"
        ).fetchall()
        randomized = con.execute(
            "SELECT COUNT(*) FROM edc_patient WHERE randomization_number IS NOT NULL"
        ).fetchone()[0]
    assert len(rows) == randomized == manifest["randomized"] == 40
    taken = defaultdict(list)
    for stratum, arm, _number, slot_stratum, sequence, slot_arm, slot_patient, patient in rows:
        assert stratum == slot_stratum and arm == slot_arm and slot_patient == patient
        taken[stratum].append(sequence)
    for sequences in taken.values():  # in order within the stratum, none skipped
        assert sequences == list(range(1, len(sequences) + 1))
    verify = cli("randomization", "verify", "--user", "statistician", "--data-dir", str(demo_dir))
    assert verify.returncode == 0 and json.loads(verify.stdout)["ok"] is True


def test_audit_trail_verifies_and_covers_every_patient(demo_dir, manifest, cli):
    done = cli("audit", "verify", "--data-dir", str(demo_dir))
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"] is True
    assert report["entries"] == manifest["audit_entries"]
    with _db(demo_dir) as con:
        per_patient = dict(
            con.execute(
                "SELECT patient, COUNT(*) FROM edc_auditentry WHERE patient != '' GROUP BY patient"
            )
        )
        screened = [r[0] for r in con.execute("SELECT screening_number FROM edc_patient")]
        actions = {r[0] for r in con.execute("SELECT DISTINCT action FROM edc_auditentry")}
        measured = con.execute("SELECT COUNT(*) FROM edc_lesionmeasurement").fetchone()[0]
    assert len(screened) == manifest["screened"] and set(per_patient) == set(screened)
    assert {"create", "randomize", "update"} <= actions
    assert measured > 40 * 3


def test_pfs_and_os_derived_for_every_patient_as_the_generator_intended(demo_dir, manifest):
    """Re-drawing the synthetic trial with the arms the service allocated gives, through
    the endpoint engine directly, the same PFS/OS/DOR and best responses as the database
    export: nothing is lost or changed on the way through the services and back."""
    adsl = pd.read_csv(demo_dir / "analysis" / "adsl.csv")
    adtte = pd.read_csv(demo_dir / "analysis" / "adtte.csv")
    assert len(adsl) == 40
    for param in ("PFS", "OS"):
        assert set(adtte[adtte["PARAMCD"] == param].USUBJID) == set(adsl.USUBJID)
    with _db(demo_dir) as con:
        arms = dict(
            con.execute(
                "SELECT p.screening_number, a.arm FROM edc_allocation a "
                "JOIN edc_patient p ON p.id = a.patient_id"
            )
        )
    assert dict(zip(adsl.USUBJID, adsl.ARMCD, strict=True)) == arms
    trial = simulate_trial(
        int(manifest["seed"]),
        str(manifest["scenario"]),
        n_patients=40,
        start=dt.date.fromisoformat(str(manifest["first_screening"])),
        cutoff=dt.date.fromisoformat(str(manifest["data_cutoff"])),
        allocate=lambda _c, rand: [arms[c.candidate_id] for c, _d, _s in rand],
    )
    direct = analysis_frames(trial)
    ids = {p.usubjid: p.candidate.candidate_id for p in trial.patients}
    cols = ["USUBJID", "PARAMCD", "AVAL", "CNSR"]
    expected = (
        direct.adtte.assign(USUBJID=direct.adtte.USUBJID.map(ids))[cols]
        .sort_values(cols[:2])
        .reset_index(drop=True)
    )
    got = adtte[cols].sort_values(cols[:2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    adrs = pd.read_csv(demo_dir / "analysis" / "adrs.csv")
    bor = adrs[adrs.PARAMCD == "BOR"].set_index("USUBJID").AVALC.sort_index()
    want = direct.adrs[direct.adrs.PARAMCD == "BOR"]
    want = want.assign(USUBJID=want.USUBJID.map(ids)).set_index("USUBJID").AVALC.sort_index()
    pd.testing.assert_series_equal(bor, want, check_dtype=False)
    # treatment end and ctDNA samples due, completed after derivation, match the generator
    ended = adsl.set_index("USUBJID")
    same_words = {"adverse event": "adverse event or other"}
    for p in trial.patients:
        if isinstance(ended.loc[p.candidate.candidate_id, "TRTSDT"], str):  # treated
            assert ended.loc[p.candidate.candidate_id, "DCTREAS"] == same_words.get(
                p.treatment_end_reason, p.treatment_end_reason
            )
    ctdna = pd.read_csv(demo_dir / "analysis" / "ctdna.csv")
    assert sorted(zip(ctdna.USUBJID, ctdna.TIMEPOINT, ctdna.COLLECTED, strict=True)) == sorted(
        (p.candidate.candidate_id, s.timepoint, "Y" if s.collected else "N")
        for p in trial.patients
        for s in p.ctdna
    )


def test_dates_lie_before_today(demo_dir, manifest):
    cutoff = dt.date.fromisoformat(str(manifest["data_cutoff"]))
    assert cutoff < dt.date.today()
    with _db(demo_dir) as con:
        latest = con.execute("SELECT MAX(visit_date) FROM edc_visit").fetchone()[0]
    assert dt.date.fromisoformat(latest) <= cutoff


def test_complete_synthetic_data_open_no_data_queries(demo_dir):
    """The edit checks run on every record the demo enters. The synthetic data are complete
    and plausible, so any query here is a false alarm of an edit check (e.g. asking for the
    size of a non-target lesion, or a lab range compared in the wrong unit)."""
    with _db(demo_dir) as con:
        queries = con.execute("SELECT rule, field, message FROM edc_dataquery").fetchall()
    assert queries == []
