"""The sites and the staff list, as the administrator reads them."""

from __future__ import annotations

from typing import Any

from oligotrial.edc.models import Site, Staff
from oligotrial.edc.services.access import require_role
from oligotrial.edc.services.administration import ADMIN


def list_sites(actor: Staff) -> list[dict[str, Any]]:
    require_role(actor, ADMIN, "listing the sites")
    return [
        {
            "code": s.code,
            "name": s.name,
            "language": s.language,
            "country": s.country,
            "active": s.active,
        }
        for s in Site.objects.order_by("code")
    ]


def describe_staff(s: Staff) -> dict[str, Any]:
    return {
        "username": s.username,
        "full_name": s.full_name,
        "role": s.role,
        "site": s.site.code if s.site else None,
        "active": s.active,
    }


def list_staff(actor: Staff) -> list[dict[str, Any]]:
    require_role(actor, ADMIN, "listing the staff")
    return [describe_staff(s) for s in Staff.objects.select_related("site").order_by("username")]
