"""Adverse events in the browser's pages (Django's test client): record one by term and
grade, the term search and the grade definitions, bad input shown at its field with nothing
written, a repeated submit recorded once, another site's patient not found, and a fixed
number of queries whatever the number of events."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import SCREENED_ON, build_web_trial, sign_in_client, switch_database

pytestmark = pytest.mark.slow
URL = "/patients/S01-001/adverse-events/"


@pytest.fixture(scope="module")
def safety_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "safety-pages")


@pytest.fixture
def client(safety_db: dict[str, Any]) -> Iterator[Any]:
    from django.test import Client

    switch_database(safety_db)
    yield Client(HTTP_HOST="127.0.0.1")


def login(client: Any, username: str, language: str = "en") -> None:
    sign_in_client(client, username, language)


def form_token(page: str) -> str:
    found = re.search(r'name="once" value="([0-9a-f]+)"', page)
    assert found, "the form carries a one-time token"
    return found.group(1)


def ae_post(token: str, **changes: Any) -> dict[str, Any]:
    data = {
        "term": "Fatigue",
        "grade": "2",
        "onset_date": (SCREENED_ON + dt.timedelta(days=20)).isoformat(),
        "resolved_date": "",
        "related_rt": "possible",
        "related_flst": "unlikely",
        "related_slst": "not_applicable",
        "outcome": "not_recovered",
        "once": token,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def events(number: str = "S01-001") -> list[tuple[str, int]]:
    from oligotrial.edc.models import AdverseEvent

    return list(
        AdverseEvent.objects.filter(patient__screening_number=number)
        .order_by("id")
        .values_list("term", "grade")
    )


def test_record_an_adverse_event_by_term_and_grade(client: Any) -> None:
    login(client, "coord-S01")
    before = events()
    page = client.get(URL).content.decode()
    token = form_token(page)
    found = client.get(URL + "terms/", {"term": "fatig"}).content.decode()
    assert "Fatigue" in found and "General disorders and administration site conditions" in found
    block = client.get(URL + "term/", {"term": "fatigue"}).content.decode()
    assert 'value="Fatigue"' in block  # CTCAE's spelling filled in
    assert "Fatigue relieved by rest" in block  # grade 1 definition
    assert 'value="4"' not in block  # fatigue has no grade 4 in CTCAE v5.0
    response = client.post(
        URL, ae_post(token, term="fatigue", serious="on", sae_medically_important="on")
    )
    assert response.status_code == 302
    assert events() == [*before, ("Fatigue", 2)]
    page = client.get(response["Location"]).content.decode()
    assert "The adverse event is recorded." in page
    again = client.post(URL, ae_post(token, term="fatigue"))  # the same form sent twice
    assert again.status_code == 302
    assert events() == [*before, ("Fatigue", 2)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"term": "Radiation-induced liver disease"}, "term", "is not a CTCAE v5.0 term"),
        ({"term": "Fatigue", "grade": "4"}, "grade", "defines no grade 4 for Fatigue"),
        ({"grade": None}, "grade", "This field is required."),
        ({"onset_date": "2026-13-01"}, "onset_date", "Enter a valid date."),
        ({"onset_date": "1999-01-01"}, "onset_date", "is before the consent date"),
    ],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_written(
    client: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    login(client, "coord-S01")
    before = events()
    token = form_token(client.get(URL).content.decode())
    response = client.post(URL, ae_post(token, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    shown = re.search(rf'<p class="error" id="id_{field}-error">([^<]*)</p>', page)
    assert shown is not None, page[page.find("<form") :][:3000]
    assert message in shown.group(1).replace("&#x27;", "'").replace("&quot;", '"')
    assert "Nothing was saved" in page
    assert events() == before


def test_messages_in_chinese(client: Any) -> None:
    login(client, "coord-S01", "zh-hans")
    token = form_token(client.get(URL).content.decode())
    page = client.post(URL, ae_post(token, term="Fatigue", grade="5")).content.decode()
    assert "CTCAE v5.0 未定义 Fatigue 的 5 级" in page
    assert "不良事件" in page
    early = client.post(URL, ae_post(token, onset_date="1999-01-01")).content.decode()
    assert re.search(
        r'id="id_onset_date-error">1999-01-01 早于知情同意日期 \d{4}-\d{2}-\d{2}<', early
    )


def test_another_sites_patient_is_not_found(client: Any) -> None:
    login(client, "coord-S02")
    for path in (URL, URL + "terms/?term=fat", URL + "term/?term=Fatigue"):
        assert client.get(path).status_code == 404
    token = "0" * 32
    assert client.post(URL, ae_post(token)).status_code == 404
    assert client.get("/patients/S02-001/adverse-events/").status_code == 200


def test_readers_see_events_without_the_form(client: Any) -> None:
    login(client, "monitor")
    page = client.get(URL).content.decode()
    assert "Adverse events of patient S01-001" in page
    assert 'name="once"' not in page
    assert client.post(URL, ae_post("1" * 32)).status_code == 404


def test_queries_per_page_do_not_grow_with_events(client: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oligotrial.edc import services
    from oligotrial.edc.models import Staff

    login(client, "coord-S01")
    coord = Staff.objects.get(username="coord-S01")
    counts = []
    start = len(events())
    for n in (start + 1, start + 6):  # each event opens a query (recovered, no end date)
        while len(events()) < n:
            services.record(
                coord,
                "S01-001",
                "adverse_event",
                {
                    "term": "Nausea",
                    "grade": 1,
                    "onset_date": SCREENED_ON + dt.timedelta(days=30 + len(events())),
                    "outcome": "recovered",  # no resolution date: an automatic query opens
                },
            )
        for path in (URL, "/patients/S01-001/data/"):
            client.get(path)  # the session's first reads are not the page's
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append((path, len(captured.captured_queries)))
    assert counts[:2] == counts[2:], counts
