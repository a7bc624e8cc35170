"""HTTP mode: Slack's requests are served by Bolt itself, in the bot's own process.

``POST /slack/events`` goes to the Bolt ``AsyncApp`` (``async_dispatch``), which checks
Slack's signature and timestamp (``request_verification_enabled``), runs the listener and
returns its ack; Bolt's aiohttp adapter turns that into the HTTP answer. Listeners ack
first and do their work after (``bot.slack.app``), so an ack does not wait for the work.
``GET /healthz`` says whether the event loop and the database answer.

Why aiohttp and not Bolt's ASGI adapter under uvicorn: aiohttp is already a dependency
(the provider sandbox, slack_sdk's Socket Mode client), so the bot drops uvicorn and
httptools; and the edge's needs (issue 17) are each one setting or one line here, where
uvicorn lacks the first:

- a stalled connection: aiohttp arms ``keepalive_timeout`` when a connection is made and
  closes it if no whole request head has arrived by then (uvicorn has no timeout for a
  request's head: a connection that sends half its headers is held forever); a body is
  read here, under ``asyncio.timeout`` (``BODY_TIMEOUT``);
- the raw bytes: the handler holds the body as bytes (``request.read()``) before anything
  decodes it, so a signature can be checked over exactly what arrived; Bolt's own check
  then runs on the decoded text. (Both Bolt adapters decode first and raise on a body that
  is not UTF-8.) Bodies over ``MAX_BODY`` are refused by aiohttp (``client_max_size``);
- a bound on open connections: aiohttp's ``web.Server`` is the protocol factory and keeps
  its ``connections``, so a factory around it can close a connection past a bound
  (uvicorn has this built in, ``limit_concurrency``, as a 503 on the next request); the
  listening backlog is ``BACKLOG``;
- a busy answer: ``_events`` sees each verified request before its listener runs, so a
  bound on acked work not yet done can answer "busy" there, per request type.

A stop closes the listening socket, lets the requests in hand finish (``STOP_TIMEOUT``)
and closes idle connections; the work that acked commands started is then finished by
the caller (``Bot.stop``).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.store import Store

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few KB; a modal with a pasted list stays well under this.
MAX_BODY = 1024 * 1024
BACKLOG = 1024
# How long a body may take to arrive once its head has.
BODY_TIMEOUT = 10.0
# How long a stop waits for the requests in hand (modal submissions answer within 3 s).
STOP_TIMEOUT = 10.0
# How long /healthz waits for the database; a check's answer holds for a second.
HEALTH_TIMEOUT = 2.0
HEALTH_CACHE = 1.0


class SlackHttpServer:
    """Bolt's ``AsyncApp`` on an aiohttp server: ``await start()``, then ``await stop()``."""

    def __init__(self, app: AsyncApp, store: Store, host: str, port: int) -> None:
        self.app = app
        self.store = store
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self._health: asyncio.Future[str | None] | None = None
        self._health_at = 0.0

    async def start(self) -> int:
        """Listen and serve; returns the bound port. ``OSError`` when it cannot listen."""
        web_app = web.Application(client_max_size=MAX_BODY)
        web_app.router.add_post(EVENTS_PATH, self._events)
        web_app.router.add_get(HEALTH_PATH, self._healthz)
        runner = web.AppRunner(
            web_app, handle_signals=False, access_log=None, shutdown_timeout=STOP_TIMEOUT
        )
        await runner.setup()
        try:
            listener = socket.create_server((self.host, self.port), backlog=BACKLOG)
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        await web.SockSite(runner, listener, backlog=BACKLOG).start()
        return int(listener.getsockname()[1])

    async def stop(self) -> None:
        """Stop listening, answer the requests in hand, close the connections."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _events(self, request: web.Request) -> web.StreamResponse:
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                raw = await request.read()
        except TimeoutError:
            return web.json_response({"error": "request timeout"}, status=408)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Slack signs UTF-8 text: these bytes did not come from Slack.
            return web.json_response({"error": "invalid request"}, status=401)
        headers: dict[str, Any] = dict(request.headers)
        bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=headers)
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    async def _healthz(self, request: web.Request) -> web.StreamResponse:
        # Answering at all says the event loop runs; the database is asked in a thread.
        # Checks at the same time share one question (the port is public).
        now = time.monotonic()
        if self._health is None or (self._health.done() and now - self._health_at > HEALTH_CACHE):
            self._health_at = now
            self._health = asyncio.ensure_future(self._database_problem())
        problem = await asyncio.shield(self._health)
        if problem is None:
            return web.json_response({"ok": True})
        return web.json_response({"ok": False, "reason": problem}, status=503)

    async def _database_problem(self) -> str | None:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                await asyncio.to_thread(self.store.ping)
        except TimeoutError:
            return f"the database did not answer within {HEALTH_TIMEOUT:g} s"
        except Exception as error:
            log.warning("health check: the database failed (%s)", type(error).__name__)
            return f"the database failed ({type(error).__name__})"
        return None
