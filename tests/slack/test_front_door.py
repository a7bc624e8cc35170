"""The front-door process: the link's frames, what it answers itself, and its lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlencode

import httpx
import pytest

from bot.slack.frontdoor import MAX_BODY, needs_answer
from bot.slack.link import MAX_FRAME, FrameWriter, LinkError, encode, read_frame
from tests.harness.signing import sign
from tests.slack.conftest import OPERATOR, OPS_CHANNEL, Harness


def _reader(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def test_frames_round_trip_and_a_clean_close_between_frames_ends_the_link():
    body = "ví dụ".encode()
    reader = _reader(encode({"id": 7, "answer": True}, body) + encode({"hello": 1}))
    assert await read_frame(reader) == ({"id": 7, "answer": True}, body)
    assert await read_frame(reader) == ({"hello": 1}, b"")
    assert await read_frame(reader) is None


@pytest.mark.parametrize(
    "data, reason",
    [
        (encode({"id": 1}, b"body")[:-2], "middle of a frame"),
        (encode({"id": 1})[:3], "middle of a frame"),
        ((MAX_FRAME).to_bytes(4, "big") + (1).to_bytes(4, "big"), "over the limit"),
        (encode([1, 2]), "not an object"),  # type: ignore[arg-type]
    ],
)
async def test_a_broken_frame_is_an_error_not_a_close(data: bytes, reason: str):
    with pytest.raises(LinkError, match=reason):
        await read_frame(_reader(data))


async def test_a_frame_is_in_the_kernel_when_send_returns_even_on_a_full_link():
    # Nothing may wait in the front door's own buffer once a request is acked: if the
    # process died then, the request would be lost although Slack was told it arrived.
    ours, theirs = socket.socketpair()
    _, writer = await asyncio.open_unix_connection(sock=ours)
    link = FrameWriter(writer)
    writer.transport.pause_reading()
    sent = 0
    try:
        while True:
            try:
                await asyncio.wait_for(link.send({"id": sent}, b"x" * 16_000), 0.5)
            except TimeoutError:
                break  # the kernel is full: this send waits, as it should
            assert writer.transport.get_write_buffer_size() == 0, f"frame {sent} not sent"
            sent += 1
            assert sent < 1000, "the link never filled up"
        assert sent >= 2
    finally:
        writer.close()
        theirs.close()


def _payload(kind: str) -> bytes:
    return urlencode({"payload": json.dumps({"type": kind})}).encode()


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    "body, content_type, answered",
    [
        (urlencode({"command": "/queue", "text": "list"}).encode(), FORM, False),
        (_payload("block_actions"), FORM, False),
        (_payload("view_closed"), FORM, False),
        (_payload("view_submission"), FORM, True),
        (_payload("block_suggestion"), FORM, True),
        (b'{"type": "url_verification", "challenge": "x"}', "application/json", True),
        (b'{"type": "event_callback", "event": {}}', "application/json", False),
        (b"payload=%7Bnot-json", FORM, False),
        (b"[1, 2]", "application/json", False),
    ],
)
def test_only_requests_whose_answer_slack_reads_wait_for_the_bot(
    body: bytes, content_type: str, answered: bool
):
    assert needs_answer(body, content_type) is answered


async def test_wrong_paths_methods_and_sizes_are_refused_by_the_front_door(harness: Harness):
    base = harness.slack.url.removesuffix("/slack/events")
    async with httpx.AsyncClient(base_url=base) as client:
        assert (await client.get("/slack/events")).status_code == 405
        assert (await client.post("/elsewhere", content=b"x")).status_code == 404
        too_big = await client.post(
            "/slack/events", content=b"x" * (MAX_BODY + 1), headers={"content-type": FORM}
        )
        assert too_big.status_code == 413


async def _eventually_answered(harness: Harness, deadline: float) -> dict:
    while True:
        try:
            return await asyncio.wait_for(harness.reply("/queue", "list"), 2)
        except (httpx.TransportError, TimeoutError, AssertionError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


async def test_a_front_door_that_dies_is_replaced_on_the_same_port(
    harness: Harness, caplog: pytest.LogCaptureFixture
):
    front = harness.bot.front_door
    assert front is not None and front.pid is not None
    first = front.pid
    os.kill(first, signal.SIGKILL)
    answer = await _eventually_answered(harness, time.monotonic() + 20)
    assert "1001201" in json.dumps(answer)
    assert front.pid not in (None, first)
    assert "the Slack front door stopped" in caplog.text


@contextlib.asynccontextmanager
async def _front_door_alone() -> AsyncIterator[tuple[int, Any, Any, Any]]:
    """A front door whose bot is this test: (port, process, reader, writer) after hello."""
    listener = socket.create_server(("127.0.0.1", 0))
    ours, theirs = socket.socketpair()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.slack.frontdoor",
        f"--listen-fd={listener.fileno()}",
        f"--link-fd={theirs.fileno()}",
        pass_fds=(listener.fileno(), theirs.fileno()),
    )
    theirs.close()
    reader, writer = await asyncio.open_unix_connection(sock=ours)
    try:
        writer.write(encode({"signing_secret": "s"}))
        hello = await asyncio.wait_for(read_frame(reader), 30)
        assert hello is not None and hello[0]["hello"] == process.pid
        yield listener.getsockname()[1], process, reader, writer
    finally:
        writer.close()
        if process.returncode is None:
            process.kill()
            await process.wait()
        listener.close()


async def test_the_front_door_exits_when_the_bot_goes_away():
    async with _front_door_alone() as (_, process, _, writer):
        writer.close()  # the bot is gone
        assert await asyncio.wait_for(process.wait(), 30) == 0


async def test_healthz_is_ok_only_when_the_bot_itself_answers():
    async with _front_door_alone() as (port, _, reader, writer):
        url = f"http://127.0.0.1:{port}/healthz"
        async with httpx.AsyncClient(timeout=10) as client:
            stuck = await client.get(url)  # the bot reads nothing: its loop is stuck
            assert (stuck.status_code, stuck.json()) == (503, {"ok": False})
            unanswered = await read_frame(reader)
            assert unanswered is not None and unanswered[0]["health"] is True

            check = asyncio.create_task(client.get(url))
            frame = await asyncio.wait_for(read_frame(reader), 10)
            assert frame is not None
            writer.write(encode({"id": frame[0]["id"], "status": 200, "headers": {}}))
            healthy = await check
            assert (healthy.status_code, healthy.json()) == (200, {"ok": True})


async def test_stopping_right_after_an_ack_still_answers_the_command(harness: Harness):
    # The front door hands a request over before acking it, and a stop finishes what was
    # handed over: an acked command is never dropped by a restart.
    ack = await harness.command("/queue", "list", user=OPERATOR, channel=OPS_CHANNEL)
    assert ack.status == 200
    await harness.bot.stop()
    tag = ack.response_url.rsplit("/", 1)[-1]
    assert harness.fake.responses(tag), "the acked command was not answered"


def _bare_front_door() -> Any:
    """A front door for a Bolt app with no listeners, on a free port."""
    from slack_bolt.async_app import AsyncApp

    from bot.slack.server import FrontDoor

    app = AsyncApp(signing_secret="", request_verification_enabled=False, token="xoxb-x")
    return FrontDoor(app, "127.0.0.1", 0, signing_secret="s")


async def test_a_front_door_that_cannot_start_is_reported_and_the_port_released(
    monkeypatch: pytest.MonkeyPatch,
):
    from bot.slack.server import FrontDoorFailed

    monkeypatch.setattr(sys, "executable", "/bin/false")  # exits 1 at once
    front = _bare_front_door()
    with pytest.raises(FrontDoorFailed, match="exit code 1"):
        await front.start()
    assert front.pid is not None  # it was started…
    assert front._listener is None  # …and the socket is closed again


def _signed_command(text: str) -> tuple[bytes, dict[str, str]]:
    body = urlencode({"command": "/queue", "text": text, "response_url": "x"}).encode()
    return body, {"content-type": FORM, **sign(body, "s", int(time.time()))}


def _read_to_the_end(link: socket.socket) -> bytes:
    """Every byte left on a link, up to its end (blocking; run in a thread)."""
    link.setblocking(True)
    data = b""
    while chunk := link.recv(1 << 16):
        data += chunk
    return data


async def test_every_request_acked_before_a_sigterm_reaches_the_bot():
    # The bot reads nothing for a while (busy), so the link fills up; then the front door
    # is stopped. Whatever it acked must be in the kernel already, not in its own buffer.
    async with _front_door_alone() as (port, process, _, writer):
        link = writer.transport.get_extra_info("socket").dup()
        writer.transport.pause_reading()  # the bot is busy
        url = f"http://127.0.0.1:{port}/slack/events"
        filler = "x" * 100_000  # the link holds 4 MiB (LINK_BUFFER)
        acked: list[str] = []
        async with httpx.AsyncClient() as client:
            for n in range(200):
                body, headers = _signed_command(f"list n={n}; {filler}")
                try:
                    answer = await client.post(url, content=body, headers=headers, timeout=1)
                except httpx.TimeoutException:
                    break  # the link is full: this one waits, unacked
                assert answer.status_code == 200
                acked.append(f"n={n};")
            else:
                pytest.fail("the link never filled up")
        assert len(acked) >= 5
        process.send_signal(signal.SIGTERM)
        with link:
            rest = _reader(await asyncio.to_thread(_read_to_the_end, link))
        await asyncio.wait_for(process.wait(), 30)
        received = set()
        while (frame := await read_frame(rest)) is not None:
            received.add(parse_qs(frame[1].decode())["text"][0].split()[1])
        missing = [n for n in acked if n not in received]
        assert not missing, f"acked but never handed over: {missing}"


async def test_a_front_door_that_cannot_load_its_http_parser_fails_to_start(
    tmp_path, monkeypatch: pytest.MonkeyPatch
):
    from bot.slack.server import FrontDoorFailed

    broken = tmp_path / "httptools"
    broken.mkdir()
    (broken / "__init__.py").write_text("raise ImportError('broken install')\n")
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{path}" if path else str(tmp_path))
    front = _bare_front_door()
    with pytest.raises(FrontDoorFailed, match="exit code 1"):
        await front.start()


async def test_nonsense_from_the_bot_ends_the_front_door_instead_of_orphaning_it():
    async with _front_door_alone() as (_, process, _, writer):
        writer.write(b"\x00\x00\x00\x02\x00\x00\x00\x00{x")  # metadata that is not JSON
        assert await asyncio.wait_for(process.wait(), 30) == 0


async def test_a_stop_while_starting_ends_the_start():
    from bot.slack.server import FrontDoorFailed

    front = _bare_front_door()
    starting = asyncio.create_task(front.start())
    await asyncio.sleep(0)  # start() has begun: listening, the process being spawned
    await front.stop()
    with pytest.raises(FrontDoorFailed):
        await asyncio.wait_for(starting, 30)
