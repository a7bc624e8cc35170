"""Which connection ``/calls`` uses, and every way the choice is refused with a reason."""

from __future__ import annotations

import pytest

from bot.access import resolve_calls_connection
from bot.config import Config, parse_config
from bot.errors import PermissionDenied, UnsupportedOperation
from bot.providers.capabilities import Capability

CONNECTIONS = {
    "alohub-main": {"provider": "alohub", "base_url": "https://a.test", "api_key": "k" * 12},
    "vbee": {
        "provider": "vbee",
        "base_url": "https://v.test",
        "api_key": "k" * 12,
        "api_secret": "s" * 12,
    },
    "aicc": {"provider": "aicallcenter", "base_url": "https://c.test", "secret_key": "s" * 12},
}


def config(**channels: list[str]) -> Config:
    return parse_config({"connections": CONNECTIONS, "channels": channels}, "callops.yml", {})


def test_call_records_win_even_when_alohub_is_the_channels_default():
    cfg = config(C1=["alohub-main", "vbee", "aicc"])
    assert resolve_calls_connection(cfg, "C1", None) == ("aicc", Capability.CALL_RECORDS)


def test_a_channel_with_only_alohub_gets_campaign_progress():
    cfg = config(C1=["vbee", "alohub-main"])
    assert resolve_calls_connection(cfg, "C1", None) == (
        "alohub-main",
        Capability.CAMPAIGN_PROGRESS,
    )


def test_via_alohub_shows_progress_in_a_channel_that_also_has_call_records():
    cfg = config(C1=["aicc", "alohub-main"])
    assert resolve_calls_connection(cfg, "C1", "alohub-main") == (
        "alohub-main",
        Capability.CAMPAIGN_PROGRESS,
    )


def test_a_provider_with_neither_is_unsupported_naming_both_that_can():
    cfg = config(C1=["vbee", "aicc"])
    with pytest.raises(UnsupportedOperation) as caught:
        resolve_calls_connection(cfg, "C1", "vbee")
    assert caught.value.operation == "calls"
    assert caught.value.providers_that_can == ("aicallcenter", "alohub")
    with pytest.raises(UnsupportedOperation):
        resolve_calls_connection(config(C1=["vbee"]), "C1", None)


@pytest.mark.parametrize(
    ("channels", "via", "key"),
    [
        ({"C2": ["aicc"]}, None, "access.channel_unbound"),
        ({"C1": ["aicc"]}, "nope", "access.unknown_connection"),
        ({"C1": ["aicc"]}, "alohub-main", "access.connection_not_bound"),
    ],
)
def test_binding_mistakes_are_refused_as_the_middleware_refuses_them(channels, via, key):
    with pytest.raises(PermissionDenied) as caught:
        resolve_calls_connection(config(**channels), "C1", via)
    assert caught.value.key == key
