"""The trial office dashboard: each panel from the database, by arm for the statistician
only, in a fixed number of queries however many patients, and a look in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_sign_in import sign_in
from web_support import TODAY, add_patients, build_web_trial, sign_in_client, switch_database


@pytest.fixture(scope="module")
def dash_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "dashboard", extra_patients=4)


@pytest.fixture
def client(dash_db: dict[str, Any]) -> Iterator[Any]:
    from django.test import Client

    switch_database(dash_db)
    yield Client(HTTP_HOST="127.0.0.1")


def _arm_names() -> list[str]:
    from oligotrial.edc.trial_config import current_protocol

    return [a.name for a in current_protocol().arms]


def test_the_panels_count_what_the_database_holds(client: Any) -> None:
    from oligotrial.edc.models import Allocation, Staff
    from oligotrial.edc.services.dashboard import dashboard

    d = dashboard(Staff.objects.get(username="monitor"), TODAY)
    assert len(d.randomized_on) == Allocation.objects.count() == 6
    assert dict(d.by_site) == {"S01": 5, "S02": 1}
    assert d.screen_failures == [("I3", 1)]  # S01-003 fails I3 (six lesions)
    assert sum(n for _, n in d.overdue) > 0  # visits scheduled 200 days ago, not recorded
    # three sample time points each (baseline ctDNA and biopsy, first follow-up ctDNA)
    assert d.overdue_samples == [("S01", 15), ("S02", 3)]
    assert list(d.scan_delay) in ([], ["all"])  # pooled for a monitor
    assert d.events is None  # no data cut yet


def test_pfs_events_of_the_newest_cut_against_the_triggers(client: Any, tmp_path: Path) -> None:
    import pandas as pd

    from oligotrial.edc.models import Staff
    from oligotrial.edc.services.dashboard import dashboard
    from oligotrial.edc.services.data_cuts import make_cut
    from oligotrial.edc.trial_config import current_protocol

    cut = make_cut(Staff.objects.get(username="stat"), TODAY, tmp_path / "cut")
    adtte = pd.read_csv(tmp_path / "cut" / "analysis" / "adtte.csv")
    events = int(((adtte["PARAMCD"] == "PFS") & (adtte["CNSR"] == 0)).sum())
    d = dashboard(Staff.objects.get(username="dm"), TODAY)
    assert d.events is not None and d.events.cut_id == cut.pk
    assert d.events.pfs_events == events
    design = current_protocol().design
    assert [(t.name, t.events) for t in d.events.triggers] == [
        ("interim 1", round(design.interim_information[0] * design.planned_events)),
        ("final", design.planned_events),
    ]
    assert all(not t.reached for t in d.events.triggers)
    sign_in_client(client, "dm")
    page = client.get("/office/dashboard/").content.decode()
    assert f"Data cut {cut.pk} (cut-off {TODAY.isoformat()}): {events} PFS events." in page


def test_by_arm_for_the_statistician_only_and_office_roles_only(client: Any) -> None:
    import datetime as dt

    from oligotrial.edc import services
    from oligotrial.edc.models import Staff, Visit
    from oligotrial.edc.trial_config import current_protocol

    coord = Staff.objects.get(username="coord-S01")
    visit = Visit.objects.select_related("patient__allocation").get(
        patient__screening_number="S01-100", number=1
    )
    assert visit.due_date is not None
    services.record_visit(
        coord, "S01-100", 1, visit_date=visit.due_date + dt.timedelta(days=3)
    )  # a scan three days late
    arm = {a.code: a.name for a in current_protocol().arms}[visit.patient.allocation.arm]
    statuses = {}
    for username in ("stat", "dm", "monitor", "coord-S01", "inv-S01"):
        client.logout()
        sign_in_client(client, username)
        response = client.get("/office/dashboard/")
        statuses[username] = response.status_code
        if response.status_code == 200:
            page = response.content.decode()
            assert "Accrual against plan" in page and "data:image/svg+xml;base64," in page
            timing = page[page.index('id="scan-timing"') : page.index('id="events"')]
            if username == "stat":
                assert f"<td>{arm}</td><td>1</td><td>3</td><td>3</td>" in timing
            else:
                assert "<td>All arms</td><td>1</td><td>3</td><td>3</td>" in timing
                assert not any(name in page for name in _arm_names()), username
    assert statuses == {"stat": 200, "dm": 200, "monitor": 200, "coord-S01": 403, "inv-S01": 403}


def test_the_number_of_queries_does_not_grow_with_the_patients(client: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in_client(client, "dm")
    assert client.get("/office/dashboard/").status_code == 200  # the session settles
    with CaptureQueriesContext(connection) as before:
        assert client.get("/office/dashboard/").status_code == 200
    from oligotrial.edc.models import Staff

    add_patients(Staff.objects.get(username="coord-S02"), 5, start=300)
    with CaptureQueriesContext(connection) as after:
        assert client.get("/office/dashboard/").status_code == 200
    assert len(after) == len(before) <= 20, [q["sql"] for q in after]


def test_the_dashboard_in_the_browser(
    page: Page, server: str, dash_db: dict[str, Any], shots: Path
) -> None:
    from allauth.mfa.models import Authenticator

    switch_database(dash_db)
    # the client tests gave every user an authenticator; a monitor signs in without one
    Authenticator.objects.filter(user__username="monitor").delete()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server, "monitor")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trial dashboard")
    expect(page.locator("img.plot").first).to_be_visible()
    expect(page.locator("p.forecast")).to_contain_text("At the observed rate of")
    expect(page.locator("table.by-stratum")).to_contain_text("With ICI")
    page.screenshot(path=str(shots / "web-dashboard-en.png"), full_page=True)
    page.locator("#overdue-samples table a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue samples at S01")
    rows = page.locator("table.overdue-samples tbody tr")
    expect(rows.first).to_contain_text("Baseline")  # the protocol's name of the time point
    page.screenshot(path=str(shots / "web-overdue-samples-en.png"), full_page=True)
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("S01 的逾期样本")
    expect(rows.first).to_contain_text("基线")
    page.screenshot(path=str(shots / "web-overdue-samples-zh.png"), full_page=True)
    page.get_by_role("link", name="返回仪表板").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("试验仪表板")
    expect(page.locator("p.forecast")).to_contain_text("按已观察到的入组速度")
    expect(page.locator("table.by-stratum")).to_contain_text("含免疫检查点抑制剂")
    page.screenshot(path=str(shots / "web-dashboard-zh.png"), full_page=True)
    assert errors == [], errors
