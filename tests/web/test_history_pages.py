"""Corrections with a reason, each field's history from the audit trail, and queries at the
field answered by the site, through the pages (Django's test client)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import SCREENED_ON, build_web_trial, sign_in_client, switch_database

pytestmark = pytest.mark.slow
DATA = "/patients/S01-001/data/"


@pytest.fixture(scope="module")
def history_db(web_root: Path) -> dict[str, Any]:
    from oligotrial.edc import services
    from oligotrial.edc.models import Staff

    config = build_web_trial(web_root / "history-pages")
    coord = Staff.objects.get(username="coord-S01")
    services.record(
        coord,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 3.5, "unit": "g/L", "sampled_on": SCREENED_ON},
    )  # implausible (g/dL typed as g/L): an automatic query opens
    services.record(
        coord,
        "S01-001",
        "adverse_event",
        {"term": "Hypertension", "grade": 2, "onset_date": SCREENED_ON + dt.timedelta(days=9)},
    )
    return config


@pytest.fixture
def client(history_db: dict[str, Any]) -> Iterator[Any]:
    from django.test import Client

    switch_database(history_db)
    yield Client(HTTP_HOST="127.0.0.1")


def login(client: Any, username: str, language: str = "en") -> None:
    sign_in_client(client, username, language)


def lab() -> Any:
    from oligotrial.edc.models import LabResult

    return LabResult.objects.get(patient__screening_number="S01-001", analyte="albumin")


def lab_query() -> Any:
    from oligotrial.edc.models import DataQuery

    return DataQuery.objects.filter(object_id=str(lab().pk), model="edc.LabResult").get()


def test_the_open_query_shows_at_its_field_and_the_site_answers_it(client: Any) -> None:
    login(client, "coord-S01")
    page = client.get(DATA).content.decode()
    query = lab_query()
    cell = re.search(rf'id="lab-{lab().pk}-value".*?</span></span>', page, re.S)
    assert cell is not None and f'href="{DATA}#query-{query.pk}"' in cell.group(0)
    assert "outside the plausible range" in page
    response = client.post(
        f"/patients/S01-001/queries/{query.pk}/answer/",
        {"text": "Typed in g/dL by mistake; corrected below."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Typed in g/dL by mistake" in response.content.decode()
    assert query.answers.get().text == "Typed in g/dL by mistake; corrected below."
    empty = client.post(f"/patients/S01-001/queries/{query.pk}/answer/", {"text": " "})
    assert empty.status_code == 302
    assert query.answers.count() == 1
    assert "Write the answer first." in client.get(empty["Location"]).content.decode()


def test_a_correction_needs_a_reason_and_closes_the_automatic_query(client: Any) -> None:
    from oligotrial.edc.models import AuditEntry

    login(client, "coord-S01")
    url = f"/patients/S01-001/data/lab/{lab().pk}/value/correct/"
    form = client.get(url).content.decode()
    assert 'name="reason"' in form and "outside the plausible range" in form
    assert re.search(r"Recorded value</dt><dd>3.5<", form)
    before = AuditEntry.objects.count()
    refused = client.post(url, {"value": "35", "reason": ""})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert re.search(r'id="id_reason-error">This field is required.<', page)
    same = client.post(url, {"value": "3.5", "reason": "checked"})
    assert re.search(
        r'id="id_value-error">the new value equals the recorded one<', same.content.decode()
    )
    not_a_number = client.post(url, {"value": "three", "reason": "checked"})
    assert re.search(r'id="id_value-error">Enter a number.<', not_a_number.content.decode())
    assert AuditEntry.objects.count() == before and lab().value == 3.5
    done = client.post(url, {"value": "35", "reason": "unit was g/dL: 3.5 g/dL is 35 g/L"})
    assert done.status_code == 302
    assert lab().value == 35.0
    assert lab_query().status == "closed"
    history = client.get(
        f"/patients/S01-001/data/lab/{lab().pk}/value/history/", HTTP_HX_REQUEST="true"
    ).content.decode()
    rows = re.findall(r"<tr>\s*<td[^>]*>([^<]*)</td>\s*<td>([^<]*)</td>(.*?)</tr>", history, re.S)
    assert len(rows) == 2
    assert rows[0][1] == "coord-S01" and "first entry" in rows[0][2]
    assert "3.5" in rows[1][2] and "35" in rows[1][2] and "unit was g/dL" in rows[1][2]
    assert "<html" not in history  # a page part for htmx; the full page without it
    assert (
        "<html"
        in client.get(f"/patients/S01-001/data/lab/{lab().pk}/value/history/").content.decode()
    )


def test_history_and_corrections_of_an_adverse_event_in_chinese(client: Any) -> None:
    from oligotrial.edc.models import AdverseEvent

    login(client, "coord-S01", "zh-hans")
    ae = AdverseEvent.objects.get(patient__screening_number="S01-001", term="Hypertension")
    url = f"/patients/S01-001/data/adverse_event/{ae.pk}/grade/correct/"
    page = client.post(url, {"value": "3", "reason": ""}).content.decode()
    assert "更正" in page and "修改原因" in page
    assert page.count('type="radio" name="value"') == 5  # hypertension: grades 1-5
    assert "Adult: Systolic BP &gt;=160 mm Hg" in page  # grade 3, as CTCAE defines it
    term_url = f"/patients/S01-001/data/adverse_event/{ae.pk}/term/correct/"
    refused = client.post(term_url, {"value": "Tummy ache", "reason": "recoded"})
    assert "“Tummy ache”不是 CTCAE v5.0 术语" in refused.content.decode()
    assert client.post(url, {"value": "3", "reason": "BP 165/100 on treatment"}).status_code == 302
    ae.refresh_from_db()
    assert ae.grade == 3
    history = client.get(f"/patients/S01-001/data/adverse_event/{ae.pk}/grade/history/")
    text = history.content.decode()
    assert "首次录入" in text and "BP 165/100 on treatment" in text


def test_readers_see_history_but_do_not_correct(client: Any) -> None:
    login(client, "monitor")
    page = client.get(DATA).content.decode()
    assert "/history/" in page and "/correct/" not in page and 'name="text"' not in page
    assert client.get(f"/patients/S01-001/data/lab/{lab().pk}/unit/correct/").status_code == 403


def test_another_sites_user_gets_404_on_every_url(client: Any) -> None:
    from oligotrial.edc.models import AdverseEvent

    ae = AdverseEvent.objects.filter(patient__screening_number="S01-001").first()
    assert ae is not None
    login(client, "coord-S02")
    urls = [
        DATA,
        f"/patients/S01-001/data/lab/{lab().pk}/value/history/",
        f"/patients/S01-001/data/lab/{lab().pk}/value/correct/",
        f"/patients/S01-001/data/adverse_event/{ae.pk}/grade/history/",
        f"/patients/S02-001/data/lab/{lab().pk}/value/history/",  # own patient, other's record
        f"/patients/S01-001/data/lab/{lab().pk}/patient/history/",  # not a field shown
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in (f"/patients/S01-001/queries/{lab_query().pk}/answer/", urls[2]):
        assert client.post(url, {"text": "x", "value": "1", "reason": "x"}).status_code == 404
    assert client.get("/patients/S02-001/data/").status_code == 200


def test_statisticians_do_not_read_history_or_queries(client: Any) -> None:
    login(client, "stat")
    assert client.get(DATA).status_code == 403
    assert client.get(f"/patients/S01-001/data/lab/{lab().pk}/value/history/").status_code == 403
    page = client.get("/patients/S01-001/adverse-events/").content.decode()
    assert "/history/" not in page and "/data/" not in page


def test_an_adverse_event_is_made_serious_with_its_criterion_in_one_correction(
    client: Any,
) -> None:
    """ "Serious" and its ICH E2A criteria are valid only together, so their page corrects
    them together: one service call, one audit entry, one reason."""
    from oligotrial.edc.models import AdverseEvent, AuditEntry

    login(client, "coord-S01")
    ae = AdverseEvent.objects.get(patient__screening_number="S01-001", term="Hypertension")
    url = f"/patients/S01-001/data/adverse_event/{ae.pk}/serious/correct/"
    form = client.get(url).content.decode()
    assert form.count('type="checkbox"') == 7 and 'name="sae_hospitalisation"' in form
    before = AuditEntry.objects.count()
    alone = client.post(url, {"serious": "on", "reason": "admitted for BP control"})
    assert re.search(
        r'id="id_serious-error">a serious event needs at least one seriousness criterion',
        alone.content.decode(),
    )
    unchanged = client.post(url, {"reason": "checked"})
    assert "the new value equals the recorded one" in unchanged.content.decode()
    assert AuditEntry.objects.count() == before
    done = client.post(
        url,
        {"serious": "on", "sae_hospitalisation": "on", "reason": "admitted for BP control"},
    )
    assert done.status_code == 302
    ae.refresh_from_db()
    assert ae.serious and ae.sae_hospitalisation and not ae.sae_life_threatening
    entry = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == before + 1 and entry is not None
    assert entry.reason == "admitted for BP control"
    assert set(json.loads(entry.changes)) == {"serious", "sae_hospitalisation"}
    again = client.get(
        f"/patients/S01-001/data/adverse_event/{ae.pk}/sae_hospitalisation/correct/"
    ).content.decode()
    assert re.search(r'name="sae_hospitalisation"[^>]*checked', again)
    assert not re.search(r'name="sae_death"[^>]*checked', again)
