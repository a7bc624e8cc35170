"""The Slack front door: a process of its own that answers Slack's HTTP requests.

Slack wants every request acknowledged within 3 seconds, and an operator sees the ack as
the command's first response. Inside the bot process an ack shared one interpreter lock
with the work of earlier commands (rendering, provider calls, ~8 ms of CPU a command):
fifty commands at once waited 70–90 ms at p99. Here nothing else runs: the front door
checks Slack's signature, acks slash commands, buttons and events at once, and hands each
request to the bot process over the link (``bot.slack.link``) before answering. For the
requests whose answer Slack reads — modal submissions (``response_action``), option
loads, the URL check — it waits for the bot's answer and relays it.

It imports the link, uvicorn and slack_sdk's signature check, and nothing of the bot.
The bot starts it (``bot.slack.server``) with the listening socket and one end of the
link; it stops when the link closes or on SIGTERM (after answering what it has read).

    python -m bot.slack.frontdoor --listen-fd N --link-fd M
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from slack_sdk.signature import SignatureVerifier

from bot.slack.link import FrameWriter, LinkError, encode, read_frame

log = logging.getLogger("callops.frontdoor")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1024 * 1024
# How long a modal submission may wait for the bot; Slack itself gives up after 3 s.
ANSWER_TIMEOUT = 10.0
# Bytes of requests the kernel may hold for the bot (one command is ~1 KB with overhead).
LINK_BUFFER = 4 * 1024 * 1024
# How long /healthz waits for the bot to answer.
HEALTH_TIMEOUT = 2.0

# Interactive payloads and event types whose HTTP answer Slack reads.
_ANSWERED_PAYLOADS = frozenset({"view_submission", "block_suggestion"})
_ANSWERED_EVENTS = frozenset({"url_verification"})

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Answer = tuple[int, dict[str, str], bytes]

_RESTARTING: Answer = (503, {}, b'{"error":"the bot is restarting"}')


def needs_answer(body: bytes, content_type: str) -> bool:
    """Whether Slack reads the answer to this request (so the bot must give it)."""
    try:
        if content_type.startswith("application/json"):
            return json.loads(body).get("type") in _ANSWERED_EVENTS
        if not (body.startswith(b"payload=") or b"&payload=" in body):
            return False  # a slash command: not worth parsing (a third of an ack's CPU)
        payload = parse_qs(body.decode()).get("payload")
        if payload:
            return json.loads(payload[0]).get("type") in _ANSWERED_PAYLOADS
    except (ValueError, AttributeError):
        pass  # not Slack's shape: the bot will say so
    return False


def _forwarded(headers: dict[str, str]) -> dict[str, str]:
    """The headers Bolt reads: the content type and Slack's own."""
    return {
        name: value
        for name, value in headers.items()
        if name == "content-type" or name.startswith("x-slack-")
    }


class FrontDoorApp:
    """The ASGI application: verify, then ack and tell the bot, or ask the bot and relay."""

    def __init__(self, verifier: SignatureVerifier, link: FrameWriter) -> None:
        self._verifier = verifier
        self._link = link
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Answer]] = {}
        self._health: asyncio.Future[Answer] | None = None
        self._health_at = 0.0
        self.linked = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            healthy = await self._bot_answers()
            await _send(send, 200 if healthy else 503, json.dumps({"ok": healthy}).encode())
            return
        if path != EVENTS_PATH:
            await _send(send, 404, b'{"error":"not found"}')
            return
        if method != "POST":
            await _send(send, 405, b'{"error":"method not allowed"}')
            return
        body = await _read_body(receive)
        if body is None:
            await _send(send, 413, b'{"error":"request too large"}')
            return
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
        }
        if not self._verifier.is_valid_request(body, headers):
            await _send(send, 401, b'{"error":"invalid request"}')
            return
        if not self.linked:
            status, _, answer = _RESTARTING
            await _send(send, status, answer)
            return
        if needs_answer(body, headers.get("content-type", "")):
            status, answer_headers, answer = await self._ask(
                {"headers": _forwarded(headers)}, body, ANSWER_TIMEOUT
            )
            await _send(send, status, answer, answer_headers.get("content-type"))
            return
        # Handed over before the ack: an acked request is in the bot's hands.
        await self._tell(_forwarded(headers), body)
        await _send(send, 200, b"", "text/plain; charset=utf-8")

    async def _bot_answers(self) -> bool:
        """Whether the bot itself answers, not only this process: a bot whose loop is stuck
        acks nothing useful, and the orchestrator should restart it. Checks at the same time
        share one question, and an answer holds for a second (the port is public)."""
        now = time.monotonic()
        if self._health is None or (self._health.done() and now - self._health_at > 1.0):
            self._health_at = now
            self._health = asyncio.ensure_future(self._ask({"health": True}, b"", HEALTH_TIMEOUT))
        status, _, _ = await asyncio.shield(self._health)
        return status == 200

    async def _tell(self, headers: dict[str, str], body: bytes) -> None:
        await self._link.send({"id": next(self._ids), "answer": False, "headers": headers}, body)

    async def _ask(self, meta: dict[str, Any], body: bytes, patience: float) -> Answer:
        """The bot's answer, or 503 when it gives none within ``patience`` seconds."""
        if not self.linked:
            return _RESTARTING
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        request_id = next(self._ids)
        self._waiting[request_id] = future
        try:
            await self._link.send({**meta, "id": request_id, "answer": True}, body)
            return await asyncio.wait_for(future, patience)
        except (TimeoutError, ConnectionError):
            return 503, {}, b'{"error":"the bot did not answer in time"}'
        finally:
            self._waiting.pop(request_id, None)

    async def listen(self, reader: asyncio.StreamReader) -> None:
        """Relay the bot's answers until the link closes."""
        try:
            while (frame := await read_frame(reader)) is not None:
                meta, body = frame
                future = self._waiting.get(meta.get("id", 0))
                if future is not None and not future.done():
                    future.set_result(_answer(meta, body))
        except (LinkError, ConnectionError) as error:
            log.error("the link to the bot broke: %s", error)
        finally:
            self.linked = False
            for future in self._waiting.values():
                if not future.done():
                    future.set_result(_RESTARTING)


def _answer(meta: dict[str, Any], body: bytes) -> Answer:
    """The bot's answer as status, headers, body (500 if the bot sent nonsense)."""
    status, headers = meta.get("status"), meta.get("headers")
    if not isinstance(status, int) or not isinstance(headers, dict):
        log.error("the bot answered without a status or headers: %r", meta)
        return 500, {}, b'{"error":"the bot gave no answer"}'
    return status, headers, body


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None past ``MAX_BODY``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _send(send: Send, status: int, body: bytes, content_type: str | None = None) -> None:
    kind = (content_type or "application/json").encode("latin-1")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def serve(listener: socket.socket, link: socket.socket) -> None:
    """Serve on ``listener`` until the link closes or SIGTERM; the bot is on ``link``."""
    # The queue of requests a busy bot has not read yet lives in the kernel (so it outlives
    # this process, see FrameWriter): thousands of them, not the default hundred or so.
    # Past it, acks wait for the bot. The kernel caps the size (net.core.wmem_max).
    link.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, LINK_BUFFER)
    reader, writer = await asyncio.open_unix_connection(sock=link)
    hello = await read_frame(reader)
    if hello is None or not hello[0].get("signing_secret"):
        raise SystemExit("the bot closed the link before sending the signing secret")
    app = FrontDoorApp(SignatureVerifier(hello[0]["signing_secret"]), FrameWriter(writer))
    config = uvicorn.Config(
        app,
        http="httptools",
        lifespan="off",
        access_log=False,
        log_config=None,
        server_header=False,
        proxy_headers=False,
        date_header=False,
        timeout_graceful_shutdown=int(ANSWER_TIMEOUT),
    )
    server = uvicorn.Server(config)
    config.load()  # imports the HTTP parser: a broken install fails here, before hello

    async def watch_link() -> None:
        try:
            await app.listen(reader)
        finally:
            server.should_exit = True  # whatever ended the link ends the front door

    watcher = asyncio.create_task(watch_link())
    writer.write(encode({"hello": os.getpid()}))
    try:
        # On SIGTERM uvicorn stops taking connections, answers those it has, then ends the
        # process with the signal: every acked request is in the kernel by then (FrameWriter).
        await server.serve(sockets=[listener])
    finally:
        watcher.cancel()
        writer.close()
        with contextlib.suppress(ConnectionError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), ANSWER_TIMEOUT)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the front-door process."""
    parser = argparse.ArgumentParser(description="callops' Slack front door (run by the bot)")
    parser.add_argument("--listen-fd", type=int, required=True)
    parser.add_argument("--link-fd", type=int, required=True)
    options = parser.parse_args(argv)
    # The bot's line shape (bot.logging, whose imports would triple this process's start).
    logging.basicConfig(
        level=logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
    )
    listener = socket.socket(fileno=options.listen_fd)
    link = socket.socket(fileno=options.link_fd)
    asyncio.run(serve(listener, link))


if __name__ == "__main__":
    main()
