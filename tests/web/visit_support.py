"""A trial database for the visit page tests: the web tests' trial, and at S01 a patient
whose baseline visit has two target lesions (liver 40 mm, lung 30 mm) and a non-target."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from web_support import SCREENED_ON, add_patients, build_web_trial, switch_database

PATIENT = "S01-100"
RANDOMIZED_ON = SCREENED_ON + dt.timedelta(days=1)


def build_visit_trial(folder: Path) -> dict[str, Any]:
    """The web tests' trial plus :data:`PATIENT` with its baseline assessment recorded."""
    from oligotrial.edc import services
    from oligotrial.edc.models import Staff
    from oligotrial.edc.services.visit_entry import record_assessment

    config = build_web_trial(folder)
    coord = Staff.objects.select_related("site").get(username="coord-S01")
    add_patients(coord, 1)
    services.record_visit(coord, PATIENT, 0, visit_date=RANDOMIZED_ON)
    record_assessment(
        coord,
        PATIENT,
        0,
        measured_on=RANDOMIZED_ON,
        added=[
            {
                "code": "T1",
                "role": "target",
                "organ": "liver",
                "status": "present",
                "diameter_mm": 40.0,
            },
            {
                "code": "T2",
                "role": "target",
                "organ": "lung",
                "status": "present",
                "diameter_mm": 30.0,
            },
            {"code": "NT1", "role": "non_target", "organ": "bone", "status": "present"},
        ],
    )
    switch_database(config)
    return config
