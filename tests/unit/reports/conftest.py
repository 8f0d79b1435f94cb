"""One synthetic trial and its report, built once for the report tests."""

import pytest

from oligotrial.reports import build_report
from oligotrial.synth import simulate_trial
from oligotrial.synth.frames import report_inputs


@pytest.fixture(scope="session")
def inputs():
    return report_inputs(simulate_trial(2024, "benefit", n_patients=80))


@pytest.fixture(scope="session")
def report(inputs):
    return build_report(inputs, dsmb=True)
