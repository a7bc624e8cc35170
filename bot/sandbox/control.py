"""``/_sandbox/...``: drive a separately running sandbox over HTTP (faults, limits, clock)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.gate import json_response, read_json

if TYPE_CHECKING:
    from bot.sandbox.server import Sandbox


class ControlError(Exception):
    """A bad control request; answered 400 or 404 with ``{"error": message}``.

    Outside ``bot.errors``: the sandbox imports nothing from the rest of ``bot``; this is the
    simulated provider's refusal, sent as an HTTP answer, not an error of callops.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def build_control_app(sandbox: Sandbox) -> web.Application:
    """The control sub-application, to mount under ``/_sandbox``."""
    app = web.Application()

    def provider_of(request: web.Request) -> str:
        provider = request.match_info["provider"]
        if provider not in sandbox.providers:
            raise ControlError(404, f"unknown provider {provider!r}")
        return provider

    async def body_of(request: web.Request) -> dict[str, Any]:
        ok, body = await read_json(request)
        if not ok or not isinstance(body if body is not None else {}, dict):
            raise ControlError(400, "body must be a JSON object")
        return body or {}

    async def faults(request: web.Request) -> dict[str, Any]:
        settings = sandbox.faults(provider_of(request))
        body = await body_of(request)
        if "latency" in body:
            settings.latency = _number(body["latency"], "latency")
        if "error_ratio" in body:
            settings.error_ratio = _number(body["error_ratio"], "error_ratio")
        if "malformed" in body:
            settings.malformed = bool(body["malformed"])
        return settings.as_dict()

    async def rate_limit(request: web.Request) -> dict[str, Any]:
        provider = provider_of(request)
        body = await body_of(request)
        count = body.get("count")
        if count is None:
            sandbox.set_rate_limit(provider, None)
            return {"count": None, "seconds": None}
        if not isinstance(count, int) or count < 1:
            raise ControlError(400, "count must be a positive integer or null")
        seconds = _number(body.get("seconds", 10.0), "seconds")
        sandbox.set_rate_limit(provider, count, seconds)
        return {"count": count, "seconds": seconds}

    async def restart(request: web.Request) -> dict[str, Any]:
        sandbox.alohub.restart()
        return {"restarted": True}

    async def rotate(request: web.Request) -> dict[str, Any]:
        return {"secret_key": sandbox.aicallcenter.rotate_secret()}

    async def advance(request: web.Request) -> dict[str, Any]:
        seconds = _number((await body_of(request)).get("seconds"), "seconds")
        sandbox.clock.advance(seconds)
        return {"advanced": seconds}

    async def requests(request: web.Request) -> list[dict[str, Any]]:
        return [asdict(r) for r in sandbox.requests(provider_of(request))]

    async def vbee_contacts(request: web.Request) -> dict[str, Any]:
        campaign = request.match_info["campaign"]
        if campaign not in sandbox.vbee.contacts:
            raise ControlError(404, f"unknown Vbee campaign {campaign!r}")
        rows = sandbox.vbee.contacts[campaign]
        return {"count": len(rows), "distinct": len({row["so_dien_thoai"] for row in rows})}

    async def connections(request: web.Request) -> dict[str, Any]:
        return sandbox.connections()

    async def config(request: web.Request) -> web.Response:
        return web.Response(text=sandbox.config_yaml(), content_type="text/yaml")

    def json_handler(action: Any) -> Any:
        async def handler(request: web.Request) -> web.Response:
            try:
                return json_response(await action(request))
            except ControlError as exc:
                return json_response({"error": str(exc)}, exc.status)

        return handler

    app.router.add_post("/{provider}/faults", json_handler(faults))
    app.router.add_post("/{provider}/rate-limit", json_handler(rate_limit))
    app.router.add_post("/alohub/restart", json_handler(restart))
    app.router.add_post("/aicallcenter/rotate-secret", json_handler(rotate))
    app.router.add_post("/clock/advance", json_handler(advance))
    app.router.add_get("/{provider}/requests", json_handler(requests))
    app.router.add_get("/vbee/contacts/{campaign}", json_handler(vbee_contacts))
    app.router.add_get("/connections", json_handler(connections))
    app.router.add_get("/config", config)
    return app


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ControlError(400, f"{name} must be a number >= 0")
    return float(value)
