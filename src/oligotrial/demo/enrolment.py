"""Screening, consent and randomization of synthetic candidates through the services.

:class:`ServiceAllocator` is passed to :func:`oligotrial.synth.simulate_trial` as its
``allocate`` hook: every candidate is screened by the site's coordinator with the screening
record (the eligibility engine decides), eligible ones sign consent, and the randomization
service allocates each in order of randomization date from the stored list. The returned
arms are the service's; the synthetic outcomes are then drawn for those arms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db import transaction

from oligotrial.edc.models import Staff
from oligotrial.errors import StateError
from oligotrial.synth import Candidate, to_screening_record

CONSENT_VERSION = "1.0"
Stage = Callable[[str, int], Callable[[], None]]  # (label, total) -> step


class ServiceAllocator:
    """Screens, consents and randomizes through the services; remembers what happened."""

    def __init__(self, coordinators: dict[str, Staff], stage: Stage) -> None:
        self.coordinators = coordinators
        self.stage = stage
        self.screened = 0
        self.eligible = 0

    def __call__(
        self,
        candidates: Sequence[Candidate],
        randomized: Sequence[tuple[Candidate, dt.date, dict[str, str]]],
    ) -> list[str]:
        from oligotrial.edc import services

        step = self.stage("Screening candidates (eligibility engine)", len(candidates))
        for cand in candidates:
            coordinator = self.coordinators[cand.site]
            with transaction.atomic():  # one site visit: screening and consent
                screening = services.screen(coordinator, to_screening_record(cand))
                if screening.eligible:
                    services.record_consent(
                        coordinator,
                        cand.candidate_id,
                        version=CONSENT_VERSION,
                        signed_on=cand.consent_date,
                    )
            self.screened += 1
            self.eligible += int(screening.eligible)
            step()
        step = self.stage("Randomizing (allocation list)", len(randomized))
        arms = [""] * len(randomized)
        order = sorted(range(len(randomized)), key=lambda i: (randomized[i][1], i))
        for i in order:  # in calendar order, as the sites would
            cand, day, _strata = randomized[i]
            result = services.randomize(
                self.coordinators[cand.site], cand.candidate_id, randomized_on=day
            )
            arms[i] = result.arm
            step()
        if self.eligible != len(randomized):
            raise StateError(
                f"the eligibility engine found {self.eligible} eligible, the "
                f"generator planned {len(randomized)}"
            )
        return arms
