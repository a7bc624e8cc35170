"""HTTP mode: Slack's requests are served by Bolt itself, in the bot's own process.

``POST /slack/events`` goes to the Bolt ``AsyncApp`` (``async_dispatch``), which checks
Slack's signature and timestamp (``request_verification_enabled``), runs the listener and
returns its ack; Bolt's aiohttp adapter turns that into the HTTP answer. Listeners ack
first and do their work after (``bot.slack.app``), so an ack does not wait for the work.
``GET /healthz`` says whether the event loop and the database answer, and turns
not-ready (503, with the reason) while the acked work not yet done is past its bound
(``bot.slack.backlog``); it also says the replica's role (leader: runs the scheduled
work). ``GET /metrics`` is ``bot.slack.observe``. In Socket Mode the same server, without
``/slack/events``, serves only those two (``events=False``), so operations can check and
scrape every replica whichever way it reaches Slack.

Why aiohttp and not Bolt's ASGI adapter under uvicorn: aiohttp is already a dependency
(the provider sandbox, slack_sdk's Socket Mode client), so the bot drops uvicorn and
httptools; and the edge's needs (issue 17) are each one setting or a few lines here:

- the raw bytes: the handler holds the body as bytes (``request.read()``) and checks
  Slack's signature over exactly what arrived (``signed_by_slack``) before anything
  decodes it: an unsigned or badly signed request is a 401 whatever its bytes. The
  payload is then read through typed models before Bolt routes it
  (``bot.slack.payloads``). Bodies over ``MAX_BODY`` are refused by aiohttp
  (``client_max_size``);
- stalled connections: a request's head must arrive within ``HEAD_TIMEOUT`` (5 s) of
  the connection being made or going idle (aiohttp's ``keepalive_timeout`` is armed when
  a connection is made and closes it if no whole head arrived), and its body within
  ``BODY_TIMEOUT`` (10 s) after the head (``asyncio.timeout`` around the read: a 408,
  then the connection is closed after ``LINGER``);
- a bound on open connections: the listening socket's protocol factory (``_Limited``)
  hands a new connection to aiohttp's ``web.Server`` while fewer than
  ``MAX_CONNECTIONS`` are open, and answers 503 and closes it otherwise; the listening
  backlog is ``BACKLOG``.

A stop closes the listening socket, lets the requests in hand finish (``STOP_TIMEOUT``)
and closes idle connections; the work that acked commands started is then finished by
the caller (``Bot.stop``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import socket
import time
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot import metrics
from bot.slack.observe import metrics_response
from bot.store import Store

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
# Slack's payloads are a few KB; a modal with a pasted list stays well under this.
MAX_BODY = 1024 * 1024
BACKLOG = 1024
# Slack's replay window: a request signed longer ago (or later) than this is refused.
SIGNATURE_AGE = 5 * 60
# How long a request's head (request line and headers) may take to arrive on a new or
# idle connection: aiohttp's keepalive_timeout, armed when the connection is made.
HEAD_TIMEOUT = 5.0
# How long a body may take to arrive once its head has.
BODY_TIMEOUT = 10.0
# After an answer sent before its body was read (a 408), how long the rest is read and
# dropped before the connection is closed.
LINGER = 1.0
# Open connections past this are answered 503 and closed at once (Slack retries).
MAX_CONNECTIONS = 1000
# How long a stop waits for the requests in hand (modal submissions answer within 3 s).
STOP_TIMEOUT = 10.0
# How long /healthz waits for the database; a check's answer holds for a second.
HEALTH_TIMEOUT = 2.0
HEALTH_CACHE = 1.0


def signed_by_slack(raw: bytes, headers: Mapping[str, str], secret: str, now: float) -> bool:
    """Whether ``raw`` carries Slack's v0 signature, made with ``secret`` within 5 minutes.

    Checked over the bytes as they arrived, before anything decodes them
    (https://api.slack.com/authentication/verifying-requests-from-slack).
    """
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not secret or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs(now - int(timestamp)) > SIGNATURE_AGE:
        return False
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


class SlackHttpServer:
    """Bolt's ``AsyncApp`` on an aiohttp server: ``await start()``, then ``await stop()``."""

    def __init__(
        self,
        app: AsyncApp,
        store: Store,
        host: str,
        port: int,
        *,
        signing_secret: str,
        busy: Callable[[], str | None] | None = None,
        events: bool = True,
    ) -> None:
        self.app = app
        # False in Socket Mode: only /healthz and /metrics, Slack's requests come by WebSocket.
        self.events = events
        self.busy = busy
        self.signing_secret = signing_secret
        self.store = store
        self.host = host
        self.port = port
        self._listener: socket.socket | None = None
        self.max_connections = MAX_CONNECTIONS
        self.body_timeout = BODY_TIMEOUT
        self._runner: web.AppRunner | None = None
        self._listening: asyncio.Server | None = None
        self._limited: _Limited | None = None
        self._health: asyncio.Future[str | None] | None = None
        self._health_at = 0.0

    def listen(self) -> int:
        """Take the port; returns it. ``OSError`` when it cannot listen.

        Called before the bot resumes any job (``Bot.start_http``): a bot that cannot serve
        must stop before it claims a batch, not abandon the batches it claimed. Requests
        that arrive before ``start`` wait in the socket's backlog.
        """
        if self._listener is None:
            self._listener = socket.create_server((self.host, self.port), backlog=BACKLOG)
        return int(self._listener.getsockname()[1])

    async def start(self) -> int:
        """Listen (unless ``listen`` did) and serve; returns the bound port."""
        port = self.listen()
        listener = self._listener
        assert listener is not None
        web_app = web.Application(client_max_size=MAX_BODY)
        if self.events:
            web_app.router.add_post(EVENTS_PATH, self._events)
        web_app.router.add_get(HEALTH_PATH, self._healthz)
        web_app.router.add_get(METRICS_PATH, self._metrics)
        runner = web.AppRunner(
            web_app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=STOP_TIMEOUT,
            keepalive_timeout=HEAD_TIMEOUT,
            lingering_time=LINGER,
        )
        await runner.setup()
        self._runner = runner
        assert runner.server is not None
        self._limited = _Limited(runner.server, self.max_connections)
        self._listening = await asyncio.get_running_loop().create_server(
            self._limited, sock=listener, backlog=BACKLOG
        )
        return port

    async def stop(self) -> None:
        """Stop listening, answer the requests in hand, close the connections."""
        listening, self._listening = self._listening, None
        if listening is not None:
            listening.close()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        listener, self._listener = self._listener, None
        if listener is not None and listening is None:
            listener.close()  # taken, never served

    @property
    def refused(self) -> int:
        """Connections refused so far for being past ``max_connections``."""
        return self._limited.refused if self._limited else 0

    async def _events(self, request: web.Request) -> web.StreamResponse:
        try:
            async with asyncio.timeout(self.body_timeout):
                raw = await request.read()
        except TimeoutError:
            return web.json_response({"error": "request timeout"}, status=408)
        except ConnectionError:
            # The client went away before its body arrived: nobody reads an answer.
            return web.Response(status=400)
        if not signed_by_slack(raw, request.headers, self.signing_secret, time.time()):
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            # Signed bytes that are not UTF-8: Slack signs UTF-8 text only.
            body = raw.decode("utf-8")
            headers: dict[str, Any] = dict(request.headers)
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=headers)
        except (ValueError, LookupError, TypeError, AttributeError) as error:
            # Bolt reads the team, user and enterprise out of a body before any listener
            # runs, and raises on a signed body whose fields are not where Slack puts them.
            log.info("a signed request Bolt cannot read acked (%s)", type(error).__name__)
            return web.Response(status=200)
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    async def _healthz(self, request: web.Request) -> web.StreamResponse:
        # Answering at all says the event loop runs; the database is asked in a thread.
        # Checks at the same time share one question (the port is public).
        # Past the bound on acked work not yet done, this replica is not ready for more.
        reason = self.busy() if self.busy is not None else None
        if reason is not None:
            return web.json_response({"ok": False, "reason": f"busy: {reason}"}, status=503)
        now = time.monotonic()
        if self._health is None or (self._health.done() and now - self._health_at > HEALTH_CACHE):
            self._health_at = now
            self._health = asyncio.ensure_future(self._database_problem())
        problem = await asyncio.shield(self._health)
        # The leader role is reported, never a failure: a follower is healthy.
        role = "leader" if metrics.is_leader() else "follower"
        if problem is None:
            return web.json_response({"ok": True, "loop": "ok", "database": "ok", "role": role})
        return web.json_response(
            {"ok": False, "reason": problem, "loop": "ok", "database": problem, "role": role},
            status=503,
        )

    async def _metrics(self, request: web.Request) -> web.StreamResponse:
        return await metrics_response(self.store)

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


class _Limited:
    """The listening socket's protocol factory: aiohttp's, up to ``limit`` open connections.

    Past the bound a connection is answered 503 and closed before any byte of it is read,
    so a flood of connections (stalled or not) cannot hold the process's sockets and
    memory; Slack retries what it gets a 503 for.
    """

    def __init__(self, server: web.Server, limit: int) -> None:
        self.server = server
        self.limit = limit
        self.refused = 0

    def __call__(self) -> asyncio.BaseProtocol:
        if len(self.server.connections) >= self.limit:
            self.refused += 1
            return _Refused()
        return self.server()


class _Refused(asyncio.Protocol):
    _ANSWER = (
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 36\r\nConnection: close\r\n\r\ntoo many open connections, try again"
    )

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(self._ANSWER)
        transport.close()
