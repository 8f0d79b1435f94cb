"""Child process of the crash test: writes through the services until it is killed.

Prints one line per committed step so the parent knows how far it got.
"""

from __future__ import annotations

import sys

from oligotrial.edc.settings import configure

configure()

from edc_support import TODAY, enrol  # noqa: E402

from oligotrial.edc import services  # noqa: E402


def main(prefix: str) -> None:
    actor = services.get_actor("coord-S01")
    i = 0
    while True:
        number = f"{prefix}-{i:05d}"
        enrol(actor, number, ici="ici" if i % 2 else "no-ici")
        services.randomize(actor, number, randomized_on=TODAY)
        services.schedule_visits(actor, number)  # one transaction with many rows
        services.record(
            actor,
            number,
            "lab",
            {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": TODAY},
        )
        print(f"done {number}", flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1])
