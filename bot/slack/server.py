"""HTTP mode (``POST /slack/events``, ``GET /healthz``) and Socket Mode runners."""

from __future__ import annotations

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
