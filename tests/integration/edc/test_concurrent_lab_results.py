"""Two imports of a laboratory's ctDNA results at the same moment on PostgreSQL (two real
connections, released together): the same Bundle sent twice stores one result, the other
import reports it unchanged; a correction sent while the first result is being stored is
applied after it or reports the result as already corrected, never a raw database error and
never two results. Several rounds, as one round may not overlap."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import pytest
from concurrency_support import at_once, failures
from edc_support import TODAY, Trial, TrialDb, randomized_patients

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, Biosample, SampleResult
from oligotrial.edc.services import samples
from oligotrial.edc.services.sample_fhir_results import import_fhir_results

sys.path.insert(0, str(Path(__file__).parents[2] / "unit" / "fhir_interop"))
import ctdna_bundles as lab

ROUNDS = 6

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("trial_db", ["postgres"], indirect=True),
]


def _tube(t: Trial, i: int) -> tuple[str, Biosample]:
    """Patient ``i``'s screening number and a baseline ctDNA tube drawn from them."""
    number = f"S01-{i:03d}"
    return number, samples.collect_sample(
        t.coord["S01"], number, kind="ctdna", time_point="baseline", collected_on=TODAY
    )


def test_the_same_bundle_imported_twice_at_once_stores_one_result(trial_db: TrialDb) -> None:
    t = randomized_patients(ROUNDS)
    for i in range(ROUNDS):
        number, tube = _tube(t, i)
        text = lab.text(lab.as_json(lab.lab_bundle(number, tube.identifier, n=i)))
        results = at_once(*(partial(import_fhir_results, t.dm, text) for _ in range(2)))
        assert not failures(results), failures(results)
        assert sorted((r.imported, r.unchanged) for r in results) == [
            ((), (tube.identifier,)),
            ((tube.identifier,), ()),
        ]
        assert SampleResult.objects.filter(sample=tube).count() == 1
    assert AuditEntry.objects.filter(model="edc.SampleResult").count() == ROUNDS


def test_a_correction_at_the_moment_of_the_first_import_is_ordered(trial_db: TrialDb) -> None:
    t = randomized_patients(ROUNDS)
    for i in range(ROUNDS):
        number, tube = _tube(t, i)
        first = lab.text(lab.as_json(lab.lab_bundle(number, tube.identifier, n=i)))
        fixed = lab.as_json(lab.lab_bundle(number, tube.identifier, max_vaf=6.0, n=i))
        lab.resource(fixed, f"max-{i}").update(status="corrected", meta={"versionId": "2"})
        results = at_once(
            partial(import_fhir_results, t.dm, first),
            partial(import_fhir_results, t.dm, lab.text(fixed)),
        )
        assert not failures(results), failures(results)
        stored = SampleResult.objects.get(sample=tube)
        original, correction = results
        if correction.imported:  # the correction came first: the original is then refused
            assert original.problems and "already has a result" in original.problems[0].message
            assert stored.max_vaf_percent == 6.0
        else:  # the original came first and the correction was applied to it
            assert original.imported == (tube.identifier,)
            assert correction.corrected == (tube.identifier,)
            assert stored.max_vaf_percent == 6.0
    assert services.verify_chain().ok
