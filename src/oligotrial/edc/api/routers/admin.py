"""Sites and staff (administrators)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from oligotrial.edc import services
from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.schemas import SiteIn, SiteOut, StaffIn, StaffOut
from oligotrial.edc.services.directory import describe_staff, list_sites, list_staff

router = Router(tags=["sites and staff"])


@router.get("/sites", response={200: list[SiteOut], **error_responses()})
def sites(request: HttpRequest) -> Any:
    return list_sites(actor(request))


@router.post("/sites", response={201: SiteOut, **error_responses()})
def add_site(request: HttpRequest, payload: SiteIn) -> Any:
    site = services.add_site(
        actor(request), payload.code, payload.name, payload.language, payload.country
    )
    return Status(
        201,
        {
            "code": site.code,
            "name": site.name,
            "language": site.language,
            "country": site.country,
            "active": True,
        },
    )


@router.get("/staff", response={200: list[StaffOut], **error_responses()})
def staff(request: HttpRequest) -> Any:
    return list_staff(actor(request))


@router.post("/staff", response={201: StaffOut, **error_responses()})
def add_staff(request: HttpRequest, payload: StaffIn) -> Any:
    member = services.add_staff(
        actor(request), payload.username, payload.role, payload.site, payload.full_name
    )
    return Status(201, describe_staff(member))
