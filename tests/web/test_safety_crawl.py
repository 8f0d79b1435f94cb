"""Every link of the adverse event and recorded data pages, followed as each role, answers
without an error (no 4xx, no 5xx) and never shows another site's patient; with events,
labs, an open query and an answer in the database."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from web_support import SCREENED_ON, build_web_trial, sign_in_client, switch_database

pytestmark = pytest.mark.slow
ROLES = {
    "coord-S01": "S01-001",
    "inv-S01": "S01-001",
    "coord-S02": "S02-001",
    "monitor": "S01-001",
    "dm": "S01-001",
    "stat": "S01-001",
}
MAX_PAGES = 150


@pytest.fixture(scope="module")
def crawl_db(web_root: Path) -> dict[str, Any]:
    from oligotrial.edc import services
    from oligotrial.edc.models import DataQuery, Staff

    config = build_web_trial(web_root / "safety-crawl")
    for site in ("S01", "S02"):
        coord = Staff.objects.get(username=f"coord-{site}")
        number = f"{site}-001"
        services.record(
            coord,
            number,
            "adverse_event",
            {
                "term": "Pneumonitis",
                "grade": 2,
                "onset_date": SCREENED_ON + dt.timedelta(days=5),
                "outcome": "recovered",
                "serious": True,
                "sae_hospitalisation": True,
            },
        )
        services.record(
            coord,
            number,
            "lab",
            {"analyte": "alt", "value": 40.0, "unit": "U/L", "sampled_on": SCREENED_ON},
        )
        query = DataQuery.objects.filter(patient__screening_number=number).first()
        assert query is not None
        services.answer_query(coord, query.pk, "resolution date to follow")
    return config


def _links(page: str) -> set[str]:
    return {h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)', page)}


@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_link_answers(crawl_db: dict[str, Any], username: str) -> None:
    from django.test import Client

    switch_database(crawl_db)
    client = Client(HTTP_HOST="127.0.0.1")
    staff = sign_in_client(client, username)
    own = ROLES[username]
    other = "S02-001" if own.startswith("S01") else "S01-001"
    queue = [f"/patients/{own}/", f"/patients/{own}/adverse-events/"]
    if staff.site is None:
        queue += [f"/patients/{other}/", f"/patients/{other}/adverse-events/"]
    seen: set[str] = set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 302:
            continue
        page = response.content.decode()
        if staff.site is not None:
            assert other not in page, url
        queue += sorted(
            link for link in _links(page) if link.startswith("/patients/") and link not in seen
        )
    assert any("/history/" in u for u in seen) == (staff.role != "statistician")
    assert any("/correct/" in u for u in seen) == (staff.role in ("coordinator", "investigator"))
