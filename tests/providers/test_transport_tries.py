"""The error a transport gives up with says how many tries it made and how long they took."""

from __future__ import annotations

import random

import httpx
import pytest

from bot.errors import ProviderConnectionError, ProviderTimeout
from bot.providers.retry import RetryPolicy
from bot.providers.transport import Transport
from tests.conftest import mock_http
from tests.providers.scripted import Script, Sleeps


def transport(script: Script, sleeps: Sleeps, **options: float) -> Transport:
    return Transport(
        provider="vbee",
        connection="vbee-main",
        base_url="https://vbee.test",
        interpret=lambda response, body: body,
        http=mock_http(script),
        retry=RetryPolicy(rng=random.Random(7), max_attempts=3),
        sleep=sleeps,
        **options,
    )


@pytest.mark.parametrize(
    ("method", "failure", "cls", "attempts", "waited"),
    [
        ("GET", httpx.ConnectError("refused"), ProviderConnectionError, 3, None),
        ("POST", httpx.ConnectError("refused"), ProviderConnectionError, 3, None),
        ("GET", httpx.ReadTimeout("slow"), ProviderTimeout, 3, 12.0),
        ("POST", httpx.ReadTimeout("slow"), ProviderTimeout, 1, 12.0),  # may have arrived
    ],
)
async def test_the_error_given_up_with_counts_the_tries(method, failure, cls, attempts, waited):
    script, sleeps = Script(failure), Sleeps()
    sent = transport(script, sleeps, read_timeout=12.0)
    with pytest.raises(cls) as caught:
        await sent.call(method, "/x")
    await sent.aclose()
    assert caught.value.attempts == attempts == len(script.requests)
    assert caught.value.timeout == waited
    assert caught.value.elapsed >= 0
    assert isinstance(caught.value.__cause__, httpx.HTTPError)  # the cause is kept
