"""A burst through one rate-limited connection: nothing lost, every 429 waited out."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from bot.config import AlohubConnection
from bot.providers.alohub import AlohubClient, CampaignContact
from bot.providers.pagination import Page
from bot.providers.retry import RetryPolicy
from bot.sandbox import Sandbox, SandboxOptions
from tests.conftest import make_config

CAMPAIGN, LIST = 101, 501  # 150 contacts


@dataclass
class Wire:
    """What the client saw on the wire, per request, in its own monotonic time."""

    sent: list[tuple[int, float]] = field(default_factory=list)  # (page, when)
    limited: list[tuple[int, float, float]] = field(default_factory=list)  # (page, when, wait)

    async def on_request(self, request: httpx.Request) -> None:
        self.sent.append((int(request.url.params["page"]), time.monotonic()))

    async def on_response(self, response: httpx.Response) -> None:
        if response.status_code == 429:
            page = int(response.request.url.params["page"])
            wait = float(response.headers["Retry-After"])
            self.limited.append((page, time.monotonic(), wait))


@dataclass
class Burst:
    sandbox: Sandbox
    client: AlohubClient
    wire: Wire


@pytest.fixture
async def burst(request: pytest.FixtureRequest) -> AsyncIterator[Burst]:
    """A sandbox limited to ``provider_limit`` and a client limited to ``client_limit``."""
    provider_limit, client_limit = request.param
    options = SandboxOptions(seed=7, call_records=10, rate_limits={"alohub": provider_limit})
    async with Sandbox(host="127.0.0.1", port=0, options=options) as sandbox:
        conn = make_config(
            **{
                "alohub-main": {
                    "provider": "alohub",
                    "base_url": sandbox.base_url("alohub"),
                    "api_key": sandbox.alohub.api_key,
                    "tenant_id": sandbox.alohub.tenant_id,
                    "rate_limit": client_limit,
                }
            }
        ).connections["alohub-main"]
        assert isinstance(conn, AlohubConnection)
        wire = Wire()
        http = httpx.AsyncClient(
            timeout=httpx.Timeout(30.0, connect=5.0),
            event_hooks={"request": [wire.on_request], "response": [wire.on_response]},
        )
        client = AlohubClient(conn, http=http, retry=RetryPolicy(rng=random.Random(7)))
        try:
            yield Burst(sandbox, client, wire)
        finally:
            await http.aclose()


async def fire(client: AlohubClient, count: int) -> list[Page[CampaignContact]]:
    """``count`` requests at once, one contact page each (page i holds contact i)."""
    return await asyncio.gather(
        *(client.contacts_page(CAMPAIGN, LIST, page=i, size=1) for i in range(count))
    )


def assert_nothing_lost(burst: Burst, pages: list[Page[CampaignContact]], count: int) -> None:
    assert [p.index for p in pages] == list(range(count))
    ids = [p.items[0].contact_id for p in pages if p.items]
    assert len(ids) == min(count, 150) == len(set(ids))
    answered = Counter(r.status for r in burst.sandbox.requests("alohub"))
    assert answered[200] == count, f"each request succeeded exactly once: {answered}"
    assert set(answered) <= {200, 429}


def assert_each_429_waited_retry_after(burst: Burst) -> None:
    """After each 429, that request was sent again, and not before Retry-After had passed."""
    for page, when, wait in burst.wire.limited:
        later = [sent for p, sent in burst.wire.sent if p == page and sent > when]
        assert later, f"page {page} was refused and never sent again"
        assert min(later) - when >= wait - 0.05, (
            f"page {page} retried after {min(later) - when:.2f}s, Retry-After was {wait}s"
        )


def max_in_any_window(times: list[float], seconds: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


@pytest.mark.parametrize("burst", [((10, 2.0), "30/2s")], indirect=True)
async def test_a_client_allowed_more_than_the_provider_waits_out_each_429(burst: Burst) -> None:
    pages = await fire(burst.client, 30)

    assert_nothing_lost(burst, pages, 30)
    statuses = Counter(r.status for r in burst.sandbox.requests("alohub"))
    assert statuses[429] >= 20, "the provider refused the excess of the first window"
    assert len(burst.wire.limited) == statuses[429]
    assert_each_429_waited_retry_after(burst)


@pytest.mark.slow
@pytest.mark.parametrize("burst", [((20, 10.0), "20/10s")], indirect=True)
async def test_200_requests_through_a_20_per_10s_connection_all_succeed(
    burst: Burst, capsys: Any
) -> None:
    started = time.monotonic()
    pages = await fire(burst.client, 200)
    elapsed = time.monotonic() - started

    assert_nothing_lost(burst, pages, 200)
    assert_each_429_waited_retry_after(burst)
    # A place in the client's window is held until the answer is back, and the provider
    # counts a request before it answers: a client keeping the provider's own limit is
    # never refused (counting from the send alone, this burst met about 30 429s).
    statuses = Counter(r.status for r in burst.sandbox.requests("alohub"))
    assert statuses[429] == len(burst.wire.limited) == 0
    assert max_in_any_window([t for _, t in burst.wire.sent], 10.0) <= 20
    assert elapsed >= 90.0  # 10 windows of 20: the limit was really kept
    with capsys.disabled():
        print(f"\nburst: 200 requests in {elapsed:.1f}s, {len(burst.wire.limited)} answered 429")
