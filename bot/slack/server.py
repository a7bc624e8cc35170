"""HTTP mode: ``POST /slack/events`` and ``GET /healthz`` on a front door of their own.

The front door runs the aiohttp server and Bolt's ack on a separate thread and event
loop. Acks then never wait behind the work of earlier commands on the bot's loop: a
burst of 50 commands is acked in tens of milliseconds even while the first ones are
still being answered (bench/ack_latency.py). Work is handed to the bot's loop.
"""

from __future__ import annotations

import asyncio
import sys
import threading

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

EVENTS_PATH = "/slack/events"


def http_app(app: AsyncApp) -> web.Application:
    """An aiohttp application serving Slack's requests and a health check."""

    async def events(request: web.Request) -> web.Response:
        bolt_response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.add_routes([web.post(EVENTS_PATH, events), web.get("/healthz", healthz)])
    return web_app


async def start_http(app: AsyncApp, host: str, port: int) -> web.AppRunner:
    """Serve ``app`` over HTTP until the runner is cleaned up; returns the runner."""
    runner = web.AppRunner(http_app(app), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def bound_port(runner: web.AppRunner) -> int:
    """The port a runner listens on (useful with port 0)."""
    for site in runner.sites:
        server = getattr(site, "_server", None)
        if server and server.sockets:
            return int(server.sockets[0].getsockname()[1])
    raise RuntimeError("the server is not listening")


class FrontDoor:
    """Serves ``app`` over HTTP from its own thread and event loop."""

    def __init__(self, app: AsyncApp, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="slack-front-door", daemon=True
        )

    async def start(self) -> int:
        """Start the thread and the server; returns the bound port."""
        # The front door and the bot's work share one interpreter lock; a thread waiting for
        # it gets it after the switch interval (5 ms by default), and an ack waits twice
        # (after reading, after sending). 0.5 ms measured best (bench/RESULTS.md: 50
        # concurrent p99 135 → 72–88 ms; 0.1 ms thrashes). Process-wide, set once here.
        sys.setswitchinterval(0.0005)
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            start_http(self.app, self.host, self.port), self._loop
        )
        self._runner = await asyncio.wrap_future(future)
        return bound_port(self._runner)

    async def stop(self) -> None:
        """Stop accepting requests, then stop the thread."""
        if self._runner is not None:
            future = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
            await asyncio.wrap_future(future)
            self._runner = None
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            await asyncio.to_thread(self._thread.join, 10)
        if not self._loop.is_running():
            self._loop.close()
