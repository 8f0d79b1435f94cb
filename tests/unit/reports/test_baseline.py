"""Table 1 columns derived from screening records agree with the generator's truth."""

from __future__ import annotations

from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.protocol import load_protocol
from oligotrial.reports.baseline import baseline_frame
from oligotrial.synth import simulate_trial
from oligotrial.synth.screening_record import to_screening_record


def test_baseline_values_from_records_match_the_generator() -> None:
    trial = simulate_trial(31, n_patients=40)
    cands = [p.candidate for p in trial.patients]
    records = [
        ScreeningRecord.model_validate(to_screening_record(c), context={"as_of": c.consent_date})
        for c in cands
    ]
    df = baseline_frame(records, load_protocol()).set_index("USUBJID")
    for c in cands:
        row = df.loc[c.candidate_id]
        assert row["CPSCORE"] == c.extras["child_pugh_score"]
        assert row["NPROGLES"] == sum(x.progressing for x in c.lesions)
        assert row["SEX"] == c.sex and row["ECOGBL"] == c.ecog and row["BCLC"] == "C"
        afp = c.lab("afp")
        expected = afp.value * (1.21 if afp.unit == "IU/mL" else 1.0)
        assert abs(row["AFPBL"] - expected) < 1e-9 * max(1.0, expected)
        years = (
            c.consent_date.year
            - c.birth_date.year
            - ((c.consent_date.month, c.consent_date.day) < (c.birth_date.month, c.birth_date.day))
        )
        assert row["AGE"] == years


def test_missing_data_stays_empty() -> None:
    record = ScreeningRecord.model_validate(
        {"patient_id": "X1", "screening_date": "2025-01-10"}, context={"as_of": None}
    )
    row = baseline_frame([record], load_protocol(), {"X1": "S-001"}).iloc[0]
    assert row["USUBJID"] == "S-001"
    assert row["AGE"] is None and row["CPSCORE"] is None and row["AFPBL"] is None
    assert row["SEX"] is None and row["HBSAG"] is None
