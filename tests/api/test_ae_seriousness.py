"""The API enters and corrects the seriousness criteria through the same service: an event
made serious with its criterion in one correction (``values``); serious alone is refused
naming the field and writes nothing."""

from __future__ import annotations

from typing import Any

from api_support import call, problem


def test_an_event_is_made_serious_with_its_criterion_in_one_correction(
    client: Any, tokens: dict[str, str]
) -> None:
    from oligotrial.edc.models import AdverseEvent, AuditEntry

    token = tokens["coord-S01"]
    ae = AdverseEvent.objects.filter(patient__screening_number="S01-001").first()
    assert ae is not None and not ae.serious
    base = {"kind": "adverse_event", "record_id": ae.pk, "reason": "SAE report received"}
    before = AuditEntry.objects.count()
    alone = call(
        client, "post", "/api/corrections", token, {**base, "field": "serious", "value": True}
    )
    assert alone.status_code == 422, alone.content
    assert problem(alone)[0] == "serious"
    both = call(
        client,
        "post",
        "/api/corrections",
        token,
        {**base, "field": "serious", "value": True, "values": {"serious": True}},
    )
    assert both.status_code == 422 and problem(both)[0] == "field"
    assert AuditEntry.objects.count() == before
    done = call(
        client,
        "post",
        "/api/corrections",
        token,
        {**base, "values": {"serious": True, "sae_medically_important": True}},
    )
    assert done.status_code == 200, done.content
    values = done.json()["values"]
    assert (values["serious"], values["sae_medically_important"], values["sae_death"]) == (
        True,
        True,
        False,
    )
    undo = call(
        client,
        "post",
        "/api/corrections",
        token,
        {**base, "values": {"serious": False, "sae_medically_important": False}},
    )
    assert undo.status_code == 200, undo.content
