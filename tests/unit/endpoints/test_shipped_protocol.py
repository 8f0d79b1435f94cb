"""The settings read from the shipped NCT06841172 protocol equal the built-in defaults."""

from __future__ import annotations

from oligotrial.endpoints import EndpointSettings
from oligotrial.protocol import load_protocol
from oligotrial.response import ResponseSettings


def test_shipped_protocol_gives_the_defaults() -> None:
    protocol = load_protocol()
    assert ResponseSettings.from_protocol(protocol.response) == ResponseSettings()
    settings = EndpointSettings.from_protocol(protocol.endpoints, protocol.schedule)
    assert settings == EndpointSettings()
    assert settings.reason(3) == "New anticancer therapy before progression"
