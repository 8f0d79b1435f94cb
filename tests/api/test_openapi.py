"""The OpenAPI document: valid JSON without repeated keys, every operation with the error
shape documented, and the enums equal to the codes the models and services hold."""

from __future__ import annotations

import json
import typing
from typing import Any


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), f"repeated keys: {keys}"
    return dict(pairs)


def test_the_document_is_served_and_well_formed(client: Any) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content, object_pairs_hook=_no_repeated_keys)
    assert document["openapi"].startswith("3.")
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert len(operations) >= 40
    for op in operations:
        for status in ("401", "403", "404", "409", "422", "429"):
            assert status in op["responses"], (op["operationId"], status)
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_enums_are_the_models_codes() -> None:
    from oligotrial.edc.api import kinds, schemas
    from oligotrial.edc.models import PatientStatus, Role
    from oligotrial.edc.models.sites import SITE_LANGUAGES
    from oligotrial.edc.services.kinds import KINDS

    assert set(typing.get_args(schemas.RoleName)) == set(Role.values)
    assert set(typing.get_args(schemas.StatusName)) == set(PatientStatus.values)
    assert set(typing.get_args(schemas.Language)) == {code for code, _ in SITE_LANGUAGES}
    assert set(typing.get_args(kinds.AnyKindName)) == set(KINDS)


def test_every_coded_field_of_every_kind_is_an_enum() -> None:
    from oligotrial.edc.api.kinds import ENTERED, kind_schema
    from oligotrial.edc.services.kinds import KINDS

    for name in ENTERED:
        schema = kind_schema(name).model_json_schema()
        for field in KINDS[name].model._meta.concrete_fields:
            if field.choices and field.name in schema["properties"]:
                prop = schema["properties"][field.name]
                options = prop.get("anyOf", [prop])
                enums = [o["enum"] for o in options if "enum" in o]
                assert enums and set(enums[0]) == {str(v) for v, _ in field.flatchoices}


def test_the_document_is_built_once(client: Any) -> None:
    """Building the document takes half a second of CPU: it is built once per process, and
    every later request is answered from it."""
    from oligotrial.edc.api.app import api

    first = client.get("/api/openapi.json").content
    built = api.get_openapi_schema(path_prefix="/api/")
    assert api.get_openapi_schema(path_prefix="/api/") is built
    assert client.get("/api/openapi.json").content == first
    assert json.loads(first)["paths"].keys() == built["paths"].keys()
