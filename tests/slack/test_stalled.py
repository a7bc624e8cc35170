"""Stalled connections at the HTTP edge: timed out and closed, while others are still served."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator

import httpx
import pytest

from bot.slack import server
from tests.slack.conftest import Harness

STALLED = 200
HEAD_TIMEOUT = 1.0
BODY_TIMEOUT = 1.5


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The edge's timeouts shortened so that the test waits seconds, not tens of them."""
    monkeypatch.setattr(server, "HEAD_TIMEOUT", HEAD_TIMEOUT)
    monkeypatch.setattr(server, "BODY_TIMEOUT", BODY_TIMEOUT)
    yield


def _port(harness: Harness) -> int:
    return int(harness.slack.url.rsplit(":", 1)[1].split("/", 1)[0])


Stalled = tuple[asyncio.StreamReader, asyncio.StreamWriter, float]


async def _half_sent(port: int, head_only: bool = False) -> Stalled:
    """A connection that announced a 400-byte body and sent 200 (or half its head)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 400\r\n\r\n"
    )
    writer.write(head[:40] if head_only else head + b"x" * 200)
    await writer.drain()
    return reader, writer, time.monotonic()


async def _closed_after(connection: Stalled, deadline: float) -> float:
    """Seconds from the last byte sent until the bot closed the connection."""
    reader, writer, sent = connection
    async with asyncio.timeout(deadline):
        while await reader.read(4096):
            pass
    closed = time.monotonic() - sent
    writer.close()
    return closed


async def test_200_stalled_bodies_are_closed_after_the_timeout_while_others_are_served(
    short_timeouts: None, harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    port = _port(harness)
    stalled = [await _half_sent(port) for _ in range(STALLED)]

    # While they hang: /healthz and a signed slash command are answered.
    async with httpx.AsyncClient(timeout=5) as client:
        health = await client.get(f"http://127.0.0.1:{port}/healthz")
    assert health.status_code == 200, health.text
    reply = await harness.reply("/callops", "help")
    assert "/queue" in reply["text"] or "/queue" in str(reply.get("blocks")), reply

    # Then every stalled connection is closed, no sooner than the body timeout.
    waited = await asyncio.gather(*(_closed_after(c, 10 * BODY_TIMEOUT) for c in stalled))
    assert min(waited) >= BODY_TIMEOUT * 0.9, min(waited)
    assert max(waited) < BODY_TIMEOUT + 5, max(waited)
    # A client that gives up is no error of the bot's.
    vanished = await _half_sent(port)
    vanished[1].close()
    await harness.command("/callops", "help")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_connection_that_stalls_in_its_head_is_closed_after_the_head_timeout(
    short_timeouts: None, harness: Harness
) -> None:
    port = _port(harness)
    stalled = [await _half_sent(port, head_only=True) for _ in range(20)]
    waited = await asyncio.gather(*(_closed_after(c, 10 * HEAD_TIMEOUT) for c in stalled))
    assert min(waited) >= HEAD_TIMEOUT * 0.9, min(waited)
    ack = await harness.command("/callops", "help")
    assert ack.status == 200


async def test_connections_past_the_bound_are_answered_503_and_closed(harness: Harness) -> None:
    port = _port(harness)
    http = harness.bot._http
    assert http is not None and http._limited is not None
    http._limited.limit = 30
    held = [await _half_sent(port, head_only=True) for _ in range(30)]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    async with asyncio.timeout(5):
        answer = await reader.read()
    assert answer.startswith(b"HTTP/1.1 503"), answer
    assert http.refused == 1
    writer.close()
    for _, held_writer, _ in held:
        held_writer.close()
