"""Setting a staff member's password: validated, audited without the secret, linked."""

from __future__ import annotations

import json

import pytest
from web_support import PASSWORD


def test_set_password_links_the_user_and_audits_without_the_secret() -> None:
    from django.contrib.auth import get_user_model

    from oligotrial.edc.models import AuditEntry, Staff
    from oligotrial.edc.services.accounts import set_password

    before = AuditEntry.objects.count()
    staff = set_password("coord-S02", "Another-Good-Passphrase-7", reason="reset by admin")
    assert Staff.objects.get(username="coord-S02").user == staff.user
    assert get_user_model().objects.filter(username="coord-S02").count() == 1
    user = get_user_model().objects.get(username="coord-S02")
    assert user.check_password("Another-Good-Passphrase-7")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and AuditEntry.objects.count() == before + 1
    assert entry.action == "set_password" and entry.reason == "reset by admin"
    assert "Another-Good" not in entry.changes and "pbkdf2" not in entry.changes
    assert json.loads(entry.changes)["password"] == ["(not recorded)", "(set)"]
    set_password("coord-S02", PASSWORD)  # as the other tests expect
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password("Another-Good-Passphrase-7")


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("coord-S01", "short", "password"),
        ("coord-S01", "12345678901234", "password"),
        ("coord-S01", "password1234", "password"),
        ("nobody", "Another-Good-Passphrase-7", None),
    ],
)
def test_bad_password_or_user_changes_nothing(
    username: str, password: str, field: str | None
) -> None:
    from oligotrial.edc.models import AuditEntry
    from oligotrial.edc.services.accounts import set_password
    from oligotrial.errors import InputError, PermissionDenied

    before = AuditEntry.objects.count()
    with pytest.raises(InputError if field else PermissionDenied) as caught:
        set_password(username, password)
    if field:
        assert caught.value.field == field
    assert AuditEntry.objects.count() == before
