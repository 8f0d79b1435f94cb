"""FHIR resource types and validation of single resources with fhir.resources (R4B models).

The bulk path decodes with msgspec (:mod:`.bulk_types`); a resource whose data is
imported into a screening record is validated here against the full R4B model, so an
invalid resource never supplies a fact.
"""

from __future__ import annotations

import functools

from pydantic import ValidationError


@functools.cache
def is_fhir_type(name: str) -> bool:
    """True if ``name`` is a resource type of FHIR R4B."""
    from fhir.resources.R4B import get_fhir_model_class

    try:
        get_fhir_model_class(name)
    except (KeyError, ValueError, ImportError, AttributeError):
        return False
    return True


def validate_resource(raw: bytes | str, kind: str) -> str | None:
    """``None`` if ``raw`` (one resource of type ``kind`` as JSON) is a valid R4B resource,
    else the first problem, naming the element at fault."""
    from fhir.resources.R4B import get_fhir_model_class

    if not is_fhir_type(kind):
        return f"unknown resource type {kind!r}"
    try:
        get_fhir_model_class(kind).model_validate_json(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or kind
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"not a valid {kind} ({where}: {err['msg']}){more}"
    return None
