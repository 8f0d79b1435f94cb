"""Every operation of the API fuzzed in process (schemathesis over WSGI, from the OpenAPI
document): no server error and no response that breaks the documented schema (status,
content type, body), for valid and invalid input alike. A bounded number of examples per
operation keeps the run within a couple of minutes.

The operations are run one after the other in one test (schemathesis' own pytest
integration does not run under this pytest version); each operation's first failure is
collected and all are reported together.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 40
#: who calls each operation (by its tag): someone the operation lets through its role check
CALLER = {
    "sites and staff": "admin",
    "exports": "stat",
    "reports": "stat",
    "queries": "dm",
    "signatures": "inv-S01",
    "freeze and lock": "dm",
}
#: operations that build a whole report per call get fewer examples
FEWER = {"GET /api/reports/dsmb": 4}
#: valid-by-schema requests may still be refused by the trial's rules (a date in the future,
#: an unknown patient), so "schema-valid data is accepted" is not among the checks
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _fuzz(operation: Any, headers: dict[str, str], statuses: Counter[int]) -> None:
    @given(case=operation.as_strategy())
    @settings(SETTINGS, max_examples=FEWER.get(operation.label, EXAMPLES))
    def run(case: Any) -> None:
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses[response.status_code] += 1

    run()


def test_every_operation_holds_its_schema(
    api_trial: dict[str, Any], tokens: dict[str, str]
) -> None:
    from django.core.cache import cache

    from oligotrial.edc.web.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    for operation in operations:
        cache.clear()  # the rate limit counts per minute; each operation starts afresh
        caller = CALLER.get((operation.tags or [""])[0], "coord-S01")
        headers = {"Authorization": f"Bearer {tokens[caller]}"}
        try:
            _fuzz(operation, headers, statuses)
        except Exception as exc:  # one failure per operation, all reported below
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:2000]
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
    print("responses by status:", dict(sorted(statuses.items())))
    assert sum(statuses.values()) >= 10 * len(operations)
    assert statuses[422] and statuses[404] and statuses[200] and statuses[500] == 0
