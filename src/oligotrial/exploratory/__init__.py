"""The exploratory objectives: biosample schedule, laboratory results files, and the ctDNA
and biopsy analyses. Pure: no database, no web."""

from oligotrial.exploratory.ctdna import (
    BiopsyGenes,
    CtdnaObservation,
    ExploratoryData,
    PfsTime,
    clearance,
    counting_process,
    detection_by_time_point,
    gene_changes,
    landmark_pfs,
    time_dependent_cox,
)
from oligotrial.exploratory.results_file import LineProblem, ResultLine, read_results
from oligotrial.exploratory.sample_schedule import DueSample, due_samples

__all__ = [
    "BiopsyGenes",
    "CtdnaObservation",
    "DueSample",
    "ExploratoryData",
    "LineProblem",
    "PfsTime",
    "ResultLine",
    "clearance",
    "counting_process",
    "detection_by_time_point",
    "due_samples",
    "gene_changes",
    "landmark_pfs",
    "read_results",
    "time_dependent_cox",
]
