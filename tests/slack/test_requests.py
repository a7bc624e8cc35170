"""Slack's request signing and the 3-second ack, over real HTTP."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlencode

from tests.slack.conftest import Harness


def _command_body() -> bytes:
    return urlencode(
        {
            "command": "/queue",
            "text": "list",
            "user_id": "U0OPS1",
            "channel_id": "C0OPS",
            "response_url": "http://127.0.0.1:9/x",
            "trigger_id": "1.2.3",
        }
    ).encode()


async def test_a_wrong_signature_gets_401_and_no_provider_call(harness: Harness):
    before = len(harness.sandbox.requests("alohub"))
    ack = await harness.slack.post(
        _command_body(), "application/x-www-form-urlencoded", secret="not-the-secret"
    )
    assert ack.status == 401
    assert len(harness.sandbox.requests("alohub")) == before


async def test_a_timestamp_older_than_five_minutes_gets_401_and_no_provider_call(
    harness: Harness,
):
    before = len(harness.sandbox.requests("alohub"))
    ack = await harness.slack.post(
        _command_body(), "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60
    )
    assert ack.status == 401
    assert len(harness.sandbox.requests("alohub")) == before


async def test_an_unsigned_request_gets_401(harness: Harness):
    ack = await harness.slack.post(
        _command_body(), "application/x-www-form-urlencoded", signed=False
    )
    assert ack.status == 401


async def test_fifty_concurrent_commands_are_acked_within_3s_while_the_provider_is_slow(
    harness: Harness,
):
    harness.sandbox.faults("alohub").latency = 2.0
    acks = await asyncio.gather(*(harness.command("/queue", "list") for _ in range(50)))
    assert all(ack.status == 200 for ack in acks)
    slowest = max(ack.elapsed for ack in acks)
    assert slowest < 3.0, f"slowest ack took {slowest:.2f}s"
    # …and every one of them is answered after the slow provider replies.
    tags = {ack.response_url.rsplit("/", 1)[-1] for ack in acks}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answered = {c.tag for c in harness.fake.calls if c.method == "response_url"}
        if tags <= answered:
            break
        await asyncio.sleep(0.05)
    assert tags <= {c.tag for c in harness.fake.calls if c.method == "response_url"}


async def test_healthz_answers_ok(harness: Harness):
    import httpx

    port = harness.slack.url.split(":")[2].split("/")[0]
    async with httpx.AsyncClient() as client:
        response = await client.get(f"http://127.0.0.1:{port}/healthz")
    assert response.status_code == 200 and response.json() == {"ok": True}


async def test_a_slack_429_on_post_message_is_retried_after_retry_after(harness: Harness):
    harness.fake.rate_limit_next("chat.postMessage", retry_after=1)
    await harness.bot.services.chat.post("C0OPS", "hello")
    statuses = [c.status for c in harness.fake.calls_to("chat.postMessage")]
    assert statuses == [429, 200]
