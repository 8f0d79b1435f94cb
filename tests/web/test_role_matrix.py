"""Every URL of the web application against every role: the status each role gets is the
one the access rules give (a table here, reviewed by hand), no page answers with a server
error, and nothing of the allocation list or of results by arm reaches any role but the
statistician (21 CFR 11.10(d); ICH E9 on blinding of interim comparisons by arm).

GET only: the pages' forms post to the same views, and the services behind them are checked
role by role in the service tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from web_support import SCREENED_ON, build_web_trial, sign_in_client, switch_database

pytestmark = pytest.mark.slow

#: who asks: a site's coordinator and investigator, another site's coordinator, the
#: trial-wide monitor, data manager and statistician, and the administrator
USERS = ("coord-S01", "inv-S01", "coord-S02", "monitor", "dm", "stat", "admin")


@pytest.fixture(scope="module")
def matrix_db(web_root: Path) -> dict[str, Any]:
    """The web tests' trial with one of each object a URL names: a lab with a query, a
    sample, and a data cut."""
    from oligotrial.edc import services
    from oligotrial.edc.models import Staff
    from oligotrial.edc.services.data_cuts import make_cut
    from oligotrial.edc.services.office_queries import raise_query
    from oligotrial.edc.services.samples import collect_sample

    config = build_web_trial(web_root / "role-matrix")
    coord, dm = Staff.objects.get(username="coord-S01"), Staff.objects.get(username="dm")
    lab = services.record(
        coord,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": SCREENED_ON},
    )
    query = raise_query(dm, "lab", lab.pk, "value", "Source document?")
    sample = collect_sample(
        coord, "S01-001", kind="ctdna", time_point="baseline", collected_on=SCREENED_ON
    )
    cut = make_cut(
        Staff.objects.get(username="stat"),
        dt.datetime.now(dt.UTC).date(),
        Path(config["NAME"]).parent / "cut",
    )
    config["ids"] = {
        "lab": lab.pk,
        "query": query.pk,
        "sample": sample.identifier,
        "cut": cut.pk,
    }
    return config


def _urls(ids: dict[str, Any]) -> dict[str, str]:
    """Every route of the application (but sign-in pages, the API and static files) with
    its parameters filled from the trial: a patient of site S01."""
    p = "/patients/S01-001"
    return {
        "site_home": "/",
        "patient": f"{p}/",
        "visit": f"{p}/visits/1/",
        "visit_tumour_preview": f"{p}/visits/1/tumour/preview/",
        "visit_bed_preview": f"{p}/visits/1/rt/bed/",
        "visit_save": f"{p}/visits/1/labs/",
        "screening_new": "/patients/new/screening/",
        "screening_panel": "/screening/panel/",
        "screening_edit": f"{p}/screening/",
        "screening_fhir": f"{p}/screening/fhir/",
        "consent": f"{p}/consent/",
        "randomize": f"{p}/randomize/",
        "schedule_visits": f"{p}/visits/schedule/",
        "adverse_events": f"{p}/adverse-events/",
        "ae_terms": f"{p}/adverse-events/terms/?q=hyper",
        "ae_term": f"{p}/adverse-events/term/?term=Hypertension",
        "samples": f"{p}/samples/",
        "sample_label": f"{p}/samples/{ids['sample']}/label/",
        "patient_records": f"{p}/data/",
        "field_history": f"{p}/data/lab/{ids['lab']}/value/history/",
        "correct_field": f"{p}/data/lab/{ids['lab']}/value/correct/",
        "answer_query": f"{p}/queries/{ids['query']}/answer/",
        "signatures": f"{p}/signatures/",
        "freeze": f"{p}/freeze/",
        "database_lock": "/office/lock/",
        "office_queries": "/office/queries/",
        "office_raise_query": "/office/queries/raise/",
        "office_query": f"/office/queries/{ids['query']}/",
        "office_close_query": f"/office/queries/{ids['query']}/close/",
        "office_sdv": "/office/sdv/",
        "office_sdv_patient": "/office/sdv/S01-001/",
        "office_sdv_verify": "/office/sdv/S01-001/verify/",
        "office_audit": "/office/audit/",
        "office_audit_csv": "/office/audit/export.csv",
        "office_cuts": "/office/cuts/",
        "office_dashboard": "/office/dashboard/",
        "office_lab_results": "/office/lab-results/",
        "office_overdue_samples": "/office/samples/overdue/?site=S01",
        "office_cut_pooled": f"/office/cuts/{ids['cut']}/pooled/",
        "office_cut_dsmb": f"/office/cuts/{ids['cut']}/dsmb/",
    }


def test_every_route_is_in_the_matrix(matrix_db: dict[str, Any]) -> None:
    """A new page must be added to the table (and so given its expected statuses)."""
    from django.urls import URLResolver, get_resolver

    def names(patterns: Any) -> set[str]:
        found: set[str] = set()
        for p in patterns:
            if isinstance(p, URLResolver):
                if not str(p.pattern).startswith(("accounts/", "api/", "i18n/", "^accounts")):
                    found |= names(p.url_patterns)
            elif p.name:
                found.add(p.name)
        return found

    ids = {"lab": 1, "query": 1, "sample": "x", "cut": 1}
    assert names(get_resolver().url_patterns) - {"set_language"} == set(_urls(ids)) == set(EXPECTED)


#: the status each user gets (in the order of USERS). 404 for another site's patient (its
#: existence is not told); 403 where the role may not open the page; 405 for a URL that
#: only takes a form's POST; 302 where a GET only leads back to the patient page. Freezing
#: and the lock answer 404 to all but the data manager, as pages that do not exist for them.
EXPECTED = {
    "site_home": "200 200 200 200 200 200 200",
    "patient": "200 200 404 200 200 200 200",
    "visit": "200 200 404 200 200 200 200",
    "visit_tumour_preview": "405 405 405 405 405 405 405",
    "visit_bed_preview": "405 405 405 405 405 405 405",
    "visit_save": "405 405 405 405 405 405 405",
    "screening_new": "200 200 200 403 403 403 403",
    "screening_panel": "405 405 405 405 405 405 405",
    "screening_edit": "200 200 404 403 403 403 403",
    "screening_fhir": "405 405 405 405 405 405 405",
    "consent": "200 200 404 200 200 200 200",
    "randomize": "200 200 404 200 200 200 200",
    "schedule_visits": "302 302 404 302 302 302 302",
    "adverse_events": "200 200 404 200 200 200 200",
    "ae_terms": "200 200 404 200 200 200 200",
    "ae_term": "200 200 404 200 200 200 200",
    "samples": "200 200 404 200 200 200 200",
    "sample_label": "200 200 404 200 200 200 200",
    "patient_records": "200 200 404 200 200 403 200",
    "field_history": "200 200 404 200 200 403 200",
    "correct_field": "200 200 404 403 403 403 403",
    "answer_query": "405 405 405 405 405 405 405",
    "signatures": "200 200 404 200 200 200 200",
    "freeze": "404 404 404 404 200 404 404",
    "database_lock": "404 404 404 404 200 404 404",
    "office_queries": "403 403 403 200 200 403 403",
    "office_raise_query": "403 403 403 200 200 403 403",
    "office_query": "403 403 403 200 200 403 403",
    "office_close_query": "405 405 405 405 405 405 405",
    "office_sdv": "403 403 403 200 200 403 403",
    "office_sdv_patient": "403 403 403 200 200 403 403",
    "office_sdv_verify": "405 405 405 405 405 405 405",
    "office_audit": "403 403 403 200 200 403 403",
    "office_audit_csv": "403 403 403 200 200 403 403",
    "office_cuts": "403 403 403 200 200 200 200",
    "office_dashboard": "403 403 403 200 200 200 200",
    "office_lab_results": "403 403 403 200 200 403 403",
    "office_overdue_samples": "403 403 403 200 200 200 200",
    "office_cut_pooled": "403 403 403 200 200 200 200",
    "office_cut_dsmb": "403 403 403 403 403 200 403",
}


@pytest.mark.parametrize("user", USERS)
def test_each_role_gets_its_status_on_every_url_and_nothing_of_the_list(
    matrix_db: dict[str, Any], user: str
) -> None:
    from django.test import Client

    from oligotrial.edc.models import AllocationList
    from oligotrial.edc.trial_config import current_protocol

    switch_database(matrix_db)
    allocation = AllocationList.objects.get(active=True)
    secrets = (allocation.fingerprint, f"seed {allocation.seed}", f"{allocation.seed}")
    arm_names = [a.name for a in current_protocol().arms]
    column = USERS.index(user)
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in_client(client, user)
    wrong = {}
    for name, url in _urls(matrix_db["ids"]).items():
        response = client.get(url)
        expected = int(EXPECTED[name].split()[column])
        if response.status_code != expected:
            wrong[name] = (url, response.status_code, expected)
        if response.status_code != 200:
            continue
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode("utf-8", errors="replace")
        assert not any(secret in body for secret in secrets), (user, url)  # the list's own
        if name == "office_cut_pooled":  # the pooled report names no arm
            assert not any(arm in body for arm in arm_names), (user, url)
    assert wrong == {}, f"{user}: (url, got, expected) {wrong}"
