"""Investigators who can sign: a password and an authenticator app (TOTP) each."""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from oligotrial.edc import services
from oligotrial.edc.models import Signature, Staff
from oligotrial.edc.services.accounts import set_password

PASSWORD = "Correct-Horse-Battery-9"  # test databases only


@dataclass
class Signer:
    staff: Staff
    secret: str

    def code(self) -> str:
        """The authenticator's code now (RFC 6238, as the app shows it); near the end of a
        30 s step, the next step's (a code is valid in its own step only)."""
        if time.time() % 30 > 27:
            time.sleep(30 - time.time() % 30 + 0.1)
        return format_hotp_value(hotp_value(self.secret, int(time.time()) // 30))

    def sign(self, number: str, visit_number: int | None = None) -> Signature:
        return services.sign(
            self.staff,
            number,
            visit_number=visit_number,
            password=PASSWORD,
            totp_code=self.code(),
        )


def investigator(admin: Staff, name: str, site: str = "S01") -> Signer:
    """A new investigator of ``site`` with a password and a TOTP device.

    allauth accepts each code once per user: one signer signs once per 30 s step, so a test
    that signs several times uses several investigators."""
    services.add_staff(admin, name, "investigator", site, f"Dr {name}")
    staff = set_password(name, PASSWORD)
    secret = generate_totp_secret()
    assert staff.user is not None
    TOTP.activate(staff.user, secret)
    return Signer(staff, secret)


def sign_every_casebook(admin: Staff, numbers: list[str], site: str = "S01") -> None:
    """Each casebook signed by its own investigator of ``site``."""
    for i, number in enumerate(numbers):
        investigator(admin, f"inv-{site}-{i}", site).sign(number)
