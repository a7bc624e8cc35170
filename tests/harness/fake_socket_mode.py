"""Slack's end of Socket Mode on 127.0.0.1: ``hello``, envelopes, ``disconnect``; records acks.

Give its URL to the fake Web API (``fake.serve_socket_mode(server.url)``) and the bot
connects here. ``SocketModeSlackClient`` sends the requests ``SlackClient`` builds as
Socket Mode envelopes instead of signed HTTP requests, so one test runs in both modes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from tests.harness.signing import AckResponse, SlackClient

# Slack drops a request (and shows the user an error) when no ack came within this.
ACK_DEADLINE = 3.0


class FakeSocketMode:
    """The Socket Mode server; use as ``async with FakeSocketMode() as server``."""

    def __init__(self, host: str = "127.0.0.1", app_id: str = "A0CALLOPS") -> None:
        self.app_id = app_id
        self.connections = 0  # WebSockets opened so far
        self.acks: dict[str, dict[str, Any]] = {}  # envelope id → the ack as sent
        self._host = host
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._socket: web.WebSocketResponse | None = None
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Serve on a free port."""
        app = web.Application()
        app.router.add_get("/link/", self._on_socket)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, 0).start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Close the WebSocket and stop serving."""
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        """The URL ``apps.connections.open`` answers with."""
        return f"ws://{self._host}:{self._port}/link/"

    async def wait_connected(self, count: int = 1, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` WebSockets in all were opened (and said hello on)."""
        await self._wait(lambda: self.connections >= count, timeout, f"{count} connection(s)")

    async def send(self, kind: str, payload: dict[str, Any], *, accepts_payload: bool) -> str:
        """Send one envelope (``events_api``, ``interactive``, ``slash_commands``); its id."""
        envelope_id = f"env-{next(self._ids)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_payload,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._current().send_str(json.dumps(envelope))
        return envelope_id

    async def ack(self, envelope_id: str, timeout: float = ACK_DEADLINE) -> dict[str, Any] | None:  # noqa: ASYNC109
        """The ack of an envelope, or None when none came within ``timeout`` s."""
        try:
            await self._wait(lambda: envelope_id in self.acks, timeout, envelope_id)
        except AssertionError:
            return None
        return self.acks[envelope_id]

    async def disconnect(self, reason: str, *, close: bool = False) -> None:
        """Send ``disconnect`` with this reason (``link_disabled``, ``refresh_requested``…).

        ``close``: close the WebSocket right after, as Slack does when it ends the link.
        """
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}
        socket = self._current()
        await socket.send_str(json.dumps(message))
        if close:
            await socket.close()

    def _current(self) -> web.WebSocketResponse:
        if self._socket is None or self._socket.closed:
            raise AssertionError("the bot is not connected")
        return self._socket

    async def _wait(self, done: Any, timeout: float, what: str) -> None:  # noqa: ASYNC109
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(done)
        except TimeoutError:
            raise AssertionError(f"no {what} within {timeout}s") from None

    async def _on_socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }
        await socket.send_str(json.dumps(hello))
        async with self._changed:
            self._socket = socket
            self.connections += 1
            self._changed.notify_all()
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "envelope_id" in data:
                async with self._changed:
                    self.acks[data["envelope_id"]] = data
                    self._changed.notify_all()
        return socket


class SocketModeSlackClient(SlackClient):
    """``SlackClient``'s requests as Socket Mode envelopes; the ack stands for the answer.

    An ack within Slack's 3 s is status 200 with its payload as the body; none is status 0.
    """

    def __init__(self, server: FakeSocketMode, **kwargs: Any) -> None:
        super().__init__("http://socket-mode.invalid", "", **kwargs)
        self.server = server

    async def post(self, body: bytes, content_type: str, **_: Any) -> AckResponse:
        """Send what would be this HTTP body as an envelope; wait for its ack."""
        if content_type.startswith("application/json"):
            kind, payload, accepts = "events_api", json.loads(body), False
        else:
            form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
            if "payload" in form:
                kind, payload, accepts = "interactive", json.loads(form["payload"]), True
            else:
                kind, payload, accepts = "slash_commands", form, True
        started = time.perf_counter()
        envelope_id = await self.server.send(kind, payload, accepts_payload=accepts)
        ack = await self.server.ack(envelope_id)
        elapsed = time.perf_counter() - started
        if ack is None:
            return AckResponse(0, {}, "", elapsed)
        answer = ack.get("payload")
        return AckResponse(200, {}, json.dumps(answer) if answer else "", elapsed)
