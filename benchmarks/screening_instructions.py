"""A fixed run of the screening engine, to count its instructions (independent of the load).

Run twice under callgrind and subtract: the difference divided by ``N`` is the cost of one
record (validation as a ``ScreeningRecord`` plus ``evaluate``), start-up excluded::

    valgrind --tool=callgrind python benchmarks/screening_instructions.py 1000
    valgrind --tool=callgrind python benchmarks/screening_instructions.py 0

``--validate-only`` stops after the validation, ``--facts-only`` after the facts (the
protocol's, as ``evaluate`` derives them). The records are those of
``screening_batch.py`` (same seed); 2,200 are made in both runs, and 200 of them warm the
caches first.
"""

from __future__ import annotations

import argparse
import json

from screening_batch import AS_OF, synthetic_records

from oligotrial.eligibility import evaluate, record_from_data
from oligotrial.eligibility.evaluate import _plan
from oligotrial.eligibility.facts import derive_facts
from oligotrial.protocol import load_protocol

WARM_UP = 200
POOL = 2000  # records made whatever the count, so that both runs do the same set-up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("records", type=int, help=f"records screened after the warm-up (<= {POOL})")
    parser.add_argument("--validate-only", action="store_true")
    parser.add_argument("--facts-only", action="store_true", help="derive the facts, no rules")
    parser.add_argument("--seed", type=int, default=20250721)
    args = parser.parse_args()
    protocol = load_protocol()
    parsed = [json.loads(json.dumps(r)) for r in synthetic_records(WARM_UP + POOL, args.seed)]
    for data in parsed[:WARM_UP]:
        evaluate(protocol, record_from_data(data, as_of=AS_OF), checked=True)
    _, names, settings, _ = _plan(protocol)
    for data in parsed[WARM_UP : WARM_UP + args.records]:
        record = record_from_data(data, as_of=AS_OF)
        if args.facts_only:
            derive_facts(record, settings, names)
        elif not args.validate_only:
            evaluate(protocol, record, checked=True)


if __name__ == "__main__":
    main()
