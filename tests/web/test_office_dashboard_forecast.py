"""The dashboard's projected date of full accrual (planned rate with too few patients, the
observed rate after), strata and triggers named in English and Chinese, and overdue samples
per site with the list they link to; patients randomized at known dates (test client)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import SCREENED_ON, TODAY, build_web_trial, sign_in_client, switch_database

pytestmark = pytest.mark.slow
DASH = "/office/dashboard/"
#: patients randomized at S01 besides S01-001 (SCREENED_ON + 1 = 199 days ago), days ago
MORE = {"S01-201": 100, "S01-202": 60, "S01-203": 30, "S01-204": 3}


@pytest.fixture(scope="module")
def forecast_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "dashboard-forecast")


@pytest.fixture
def client(forecast_db: dict[str, Any]) -> Iterator[Any]:
    from django.test import Client

    switch_database(forecast_db)
    yield Client(HTTP_HOST="127.0.0.1")


@pytest.fixture
def fresh_client(web_root: Path) -> Iterator[Any]:
    """A trial of its own (two patients randomized), whatever the other tests added."""
    from django.test import Client

    switch_database(build_web_trial(web_root / "dashboard-forecast-rate"))
    yield Client(HTTP_HOST="127.0.0.1")


def _randomize_more() -> None:
    """The patients of ``MORE`` randomized, once per trial."""
    from web_support import screening_record

    from oligotrial.edc import services
    from oligotrial.edc.models import Allocation, Staff

    if Allocation.objects.filter(patient__screening_number="S01-201").exists():
        return

    coord = Staff.objects.get(username="coord-S01")
    for number, days_ago in MORE.items():
        services.screen(coord, screening_record(number))
        services.record_consent(coord, number, version="1.0", signed_on=SCREENED_ON)
        services.randomize(coord, number, randomized_on=TODAY - dt.timedelta(days=days_ago))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _section(page: str, name: str) -> str:
    start = page.index(f'id="{name}"')
    return page[start : page.index("</section>", start)]


def test_full_accrual_projected_at_the_planned_then_the_observed_rate(
    fresh_client: Any,
) -> None:
    client = fresh_client
    sign_in_client(client, "dm")
    page = _text(client.get(DASH).content.decode())
    # two patients randomized: too few; 130 to go at 132 / 24 = 5.5 a month: 719.4 days
    planned = (TODAY + dt.timedelta(days=720)).isoformat()
    assert (
        "At the planned rate of 5.5 patients a month (too few patients randomized yet for an "
        f"observed rate), accrual is projected to be complete on {planned}." in page
    )
    _randomize_more()
    page = _text(client.get(DASH).content.decode())
    # six patients in the 199 days since the first: 126 to go take 126 * 199 / 6 = 4179 days
    observed = (TODAY + dt.timedelta(days=4179)).isoformat()
    rate = 6 / (199 / (365.25 / 12))
    assert (
        f"At the observed rate of {rate:.1f} patients a month (randomized so far, from the "
        f"first randomization), accrual is projected to be complete on {observed}." in page
    )
    sign_in_client(client, "dm", "zh-hans")
    page = _text(client.get(DASH).content.decode())
    assert f"按已观察到的入组速度（每月 {rate:.1f} 例" in page and observed in page


def test_strata_and_triggers_in_the_readers_language(client: Any, tmp_path: Path) -> None:
    from oligotrial.edc.models import Staff
    from oligotrial.edc.services.data_cuts import make_cut

    _randomize_more()
    make_cut(Staff.objects.get(username="stat"), TODAY, tmp_path / "cut")
    sign_in_client(client, "monitor")
    page = client.get(DASH).content.decode()
    strata = _text(_section(page, "accrual"))
    assert "Oligoprogression Any extrahepatic 6" in strata
    assert "First-line therapy With ICI 6" in strata
    assert "any-extrahepatic" not in strata and "flst_ici" not in strata
    events = _text(_section(page, "events"))
    assert re.search(r"interim 1 \d+ ", events) and re.search(r"final \d+ ", events)
    sign_in_client(client, "monitor", "zh-hans")
    page = client.get(DASH).content.decode()
    strata = _text(_section(page, "accrual"))
    assert "寡进展部位 有肝外病灶 6" in strata and "一线治疗 含免疫检查点抑制剂 6" in strata
    events = _text(_section(page, "events"))
    assert "期中分析 1" in events and "最终分析" in events
    assert "interim" not in events and "final" not in events


def test_overdue_samples_per_site_and_their_list(client: Any) -> None:
    from oligotrial.edc.models import Staff
    from oligotrial.edc.services.samples import collect_sample

    _randomize_more()
    sign_in_client(client, "monitor")
    section = _section(client.get(DASH).content.decode(), "overdue-samples")
    # per patient: baseline ctDNA (window closes 7 days after randomization), first
    # follow-up ctDNA (no RT recorded: 28 + 7 days after it), baseline biopsy (7 days);
    # S01: 199 and 100 and 60 days ago 3 each, 30 days ago 2, 3 days ago none
    rows = re.findall(r"<tr><td>(S0\d)</td><td><a href=\"([^\"]+)\">(\d+)</a>", section)
    assert [(site, int(n)) for site, _, n in rows] == [("S01", 11), ("S02", 3)]
    assert rows[0][1] == "/office/samples/overdue/?site=S01"
    collect_sample(
        Staff.objects.get(username="coord-S01"),
        "S01-001",
        kind="ctdna",
        time_point="baseline",
        collected_on=SCREENED_ON + dt.timedelta(days=2),
    )  # late, but recorded: no longer overdue
    listed = client.get("/office/samples/overdue/?site=S01").content.decode()
    lines = re.findall(r'<tr><td>S01</td><td><a href="/patients/(S01-\d+)/samples/">', listed)
    assert sorted(lines) == ["S01-001"] * 2 + ["S01-201"] * 3 + ["S01-202"] * 3 + ["S01-203"] * 2
    assert "S02-001" not in listed
    everything = client.get("/office/samples/overdue/").content.decode()
    assert everything.count("<tr><td>S02</td>") == 3
    sign_in_client(client, "coord-S01")
    assert client.get("/office/samples/overdue/").status_code == 403
