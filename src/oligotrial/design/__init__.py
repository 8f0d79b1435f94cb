"""Trial design: sample size, group-sequential bounds, monitoring, whole-trial simulation.

Numbers follow R's rpact (``getSampleSizeSurvival``, ``getDesignGroupSequential``,
``getDesignCharacteristics``, ``getAnalysisResults``, ``getSimulationSurvival``) and are
checked against it in ``tests/reference/design``.
"""

from oligotrial.design.boundaries import GroupSequentialDesign, group_sequential_design
from oligotrial.design.check import DesignCheck, check_design
from oligotrial.design.monitoring import InterimStatus, interim_status
from oligotrial.design.sample_size import SurvivalSampleSize, fixed_events, sample_size_survival
from oligotrial.design.scale_out import simulate, simulate_grid
from oligotrial.design.simulation import SimulationResult
from oligotrial.design.survival_model import Accrual, PiecewiseExponential
from oligotrial.design.trial_scenario import ArmModel, TrialScenario, build_scenario

__all__ = [
    "Accrual",
    "ArmModel",
    "DesignCheck",
    "GroupSequentialDesign",
    "InterimStatus",
    "PiecewiseExponential",
    "SimulationResult",
    "SurvivalSampleSize",
    "TrialScenario",
    "build_scenario",
    "check_design",
    "fixed_events",
    "group_sequential_design",
    "interim_status",
    "sample_size_survival",
    "simulate",
    "simulate_grid",
]
