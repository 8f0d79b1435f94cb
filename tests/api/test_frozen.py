"""Frozen data refuses changes through the API as on the pages (the service decides), and
the refusal is audited once, as on the pages."""

from __future__ import annotations

from typing import Any

from api_support import call, problem


def test_a_correction_of_a_frozen_form_is_refused_and_nothing_written(
    client: Any, tokens: dict[str, str]
) -> None:
    import json

    from oligotrial.edc import services
    from oligotrial.edc.models import AdverseEvent, AuditEntry

    ae = AdverseEvent.objects.filter(patient__screening_number="S01-001").first()
    assert ae is not None
    dm = services.get_actor("dm")
    row = services.freeze(
        dm, "S01-001", scope="form", kind="adverse_event", record_id=ae.pk, reason="cleaned"
    )
    try:
        before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
        body = {"kind": "adverse_event", "record_id": ae.pk, "field": "grade", "value": 2}
        response = call(
            client, "post", "/api/corrections", tokens["coord-S01"], {**body, "reason": "typo"}
        )
        assert response.status_code == 409, response.content
        field, text = problem(response)
        assert field == "state"
        assert f"adverse_event {ae.pk} of patient S01-001 is frozen" in text
        assert "by dm: cleaned" in text
        [entry] = AuditEntry.objects.filter(seq__gt=before)
        assert (entry.actor, entry.action, entry.object_id) == ("coord-S01", "refused", str(ae.pk))
        assert json.loads(entry.changes)["fields"] == [None, ["grade"]]
        assert services.verify_chain().ok
        ae.refresh_from_db()
        assert ae.grade == 1
    finally:
        services.unfreeze(dm, row.pk, reason="end of the test")
