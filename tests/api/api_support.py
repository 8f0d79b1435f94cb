"""The API tests' trial and small helpers: calls with a token, the JSON error shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from web_support import SCREENED_ON, TODAY, USERS, build_web_trial

__all__ = ["SCREENED_ON", "TODAY", "USERS", "build_api_trial", "call"]


def build_api_trial(folder: Path) -> dict[str, Any]:
    """The web tests' trial, an open query at each site, and a token per staff member."""
    from oligotrial.edc import services
    from oligotrial.edc.services.tokens import create_token

    config = build_web_trial(folder)
    for username in ("coord-S01", "coord-S02"):
        actor = services.get_actor(username)
        number = f"{actor.site.code}-001"
        # an AE recovered without a resolution date: the edit check opens a query
        services.record(
            actor,
            number,
            "adverse_event",
            {"term": "Fatigue", "grade": 1, "onset_date": SCREENED_ON, "outcome": "recovered"},
        )
    names = [*USERS, "admin"]
    tokens = {name: create_token(name, days=30, name="tests").secret for name in names}
    return {"database": config, "tokens": tokens}


def call(
    client: Any,
    method: str,
    path: str,
    token: str | None = None,
    body: Any = None,
    raw: bytes | None = None,
    **extra: Any,
) -> Any:
    """One request; the body as JSON (or ``raw`` bytes as they are)."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    kwargs: dict[str, Any] = {**headers, **extra}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    return getattr(client, method.lower())(path, **kwargs)


def problem(response: Any) -> tuple[str, str]:
    """(field, problem) of an error response (and it has exactly that shape)."""
    body = response.json()
    assert set(body) == {"field", "problem"}, body
    return body["field"], body["problem"]
