"""Synthetic HCC patients at oligoprogression and whole synthetic trials (seeded).

>>> from oligotrial.synth import simulate_trial, analysis_frames
>>> trial = simulate_trial(seed=7, scenario="benefit")
>>> frames = analysis_frames(trial)          # ADSL/ADTTE/ADRS/ADTR/ADAE-like frames
"""

from oligotrial.synth.candidates import FAILURE_WEIGHTS, draw_candidate
from oligotrial.synth.frames import AnalysisFrames, analysis_frames
from oligotrial.synth.records import Candidate
from oligotrial.synth.scenarios import SCENARIOS, Scenario, get_scenario
from oligotrial.synth.screening_record import to_screening_record
from oligotrial.synth.trial import SyntheticTrial, TrialPatient, simulate_trial
from oligotrial.synth.truth import large_sample_hazard_ratio

__all__ = [
    "FAILURE_WEIGHTS",
    "SCENARIOS",
    "AnalysisFrames",
    "Candidate",
    "Scenario",
    "SyntheticTrial",
    "TrialPatient",
    "analysis_frames",
    "draw_candidate",
    "get_scenario",
    "large_sample_hazard_ratio",
    "simulate_trial",
    "to_screening_record",
]
