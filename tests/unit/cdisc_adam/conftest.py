"""One synthetic trial, its endpoint results and its ADaM data sets, built once."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from oligotrial.endpoints.derive import PatientEndpoints, derive_all
from oligotrial.endpoints.inputs import parse_patients
from oligotrial.interop.cdisc.adam import adam_datasets
from oligotrial.interop.cdisc.dataset import Dataset
from oligotrial.protocol import load_protocol
from oligotrial.synth import simulate_trial
from oligotrial.synth.assessment_record import to_patient_record
from oligotrial.synth.frames import AnalysisFrames, analysis_frames
from oligotrial.synth.trial import SyntheticTrial

#: The subject-level values a database extract supplies (baseline and treatment).
SUBJECT_COLUMNS = (
    "USUBJID", "SITEID", "AGE", "AGEGR1", "SEX", "ECOGBL", "CPSCORE", "AFPBL", "BCLC",
    "NPROGLES", "HBSAG", "FLSTREG", "AETIOL", "TRTSDT", "TRTEDT", "DCTREAS", "SAFFL",
)  # fmt: skip


@dataclass(frozen=True)
class Built:
    trial: SyntheticTrial
    results: tuple[PatientEndpoints, ...]
    frames: AnalysisFrames  # today's ADaM-like frames
    adam: dict[str, Dataset]


def subject_rows(adsl: pd.DataFrame) -> list[dict[str, object]]:
    rows = adsl[list(SUBJECT_COLUMNS)].astype(object).where(adsl.notna(), None)
    return rows.to_dict("records")  # type: ignore[return-value]


@pytest.fixture(scope="session")
def built() -> Built:
    trial = simulate_trial(2024, "benefit", n_patients=80)
    records = parse_patients({"patients": [to_patient_record(p) for p in trial.patients]})
    results = derive_all(records)
    frames = analysis_frames(trial)
    adam = adam_datasets(results, subject_rows(frames.adsl), load_protocol())
    return Built(trial, results, frames, {d.name: d for d in adam})
