"""The sandbox: the four provider simulators on one aiohttp server, one prefix each."""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import asdict
from types import TracebackType
from typing import Any

import yaml
from aiohttp import web

import bot.sandbox.aicallcenter as aicallcenter
import bot.sandbox.alohub_routes as alohub_routes
import bot.sandbox.omicall_routes as omicall_routes
import bot.sandbox.vbee as vbee
from bot.sandbox.aicallcenter import AICallCenterState, AiccError
from bot.sandbox.alohub import AlohubState
from bot.sandbox.clock import Clock
from bot.sandbox.faults import Faults
from bot.sandbox.gate import Gate, ProviderShape, RecordedRequest, json_response, read_json
from bot.sandbox.omicall import OmicallShape, OmicallState
from bot.sandbox.options import SandboxOptions

PROVIDERS = ("alohub", "vbee", "aicallcenter", "omicall")
MAX_BODY_BYTES = 64 * 1024 * 1024


class Sandbox:
    """Simulated Alohub, Vbee, AICallCenter and OMICall with seeded demo data.

    Use as ``async with Sandbox(port=0) as sb:``; ``sb.url`` is known once started. The
    state objects (``sb.alohub`` …) share ``sb.clock``, which tests advance instead of
    sleeping. ``/_sandbox/...`` exposes the same controls over HTTP.
    """

    providers = PROVIDERS

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, options: SandboxOptions | None = None
    ) -> None:
        self.host = host
        self.port = port
        self.options = options or SandboxOptions()
        self.clock = Clock()
        opts = self.options
        self.alohub = AlohubState(self._rng("alohub"), self.clock, opts.alohub_rows_per_second)
        self.vbee = vbee.VbeeState(self._rng("vbee"), self.clock)
        self.aicallcenter = AICallCenterState(
            self._rng("aicallcenter"), self.clock, opts.call_records, opts.token_ttl_seconds
        )
        self.omicall = OmicallState(self._rng("omicall"), self.clock)
        shapes: dict[str, ProviderShape] = {
            "alohub": alohub_routes.AlohubShape(),
            "vbee": vbee.VbeeShape(),
            "aicallcenter": aicallcenter.AICallCenterShape(),
            "omicall": OmicallShape(),
        }
        self._gates = {
            name: Gate(
                name,
                self.clock,
                shapes[name],
                self._state(name).requests,
                Faults(rng=self._rng(f"{name}:faults")),
            )
            for name in PROVIDERS
        }
        for name, (count, seconds) in opts.rate_limits.items():
            self.set_rate_limit(name, count, seconds)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Bind the port and start serving."""
        # Alohub bulk bodies have no documented size limit; aiohttp's default is 1 MiB.
        root = web.Application(client_max_size=MAX_BODY_BYTES)
        root.add_subapp("/alohub", alohub_routes.build_app(self.alohub, self._gates["alohub"]))
        root.add_subapp("/vbee", vbee.build_app(self.vbee, self._gates["vbee"]))
        root.add_subapp(
            "/aicallcenter", aicallcenter.build_app(self.aicallcenter, self._gates["aicallcenter"])
        )
        root.add_subapp("/omicall", omicall_routes.build_app(self.omicall, self._gates["omicall"]))
        root.add_subapp("/_sandbox", build_control_app(self))
        self._runner = web.AppRunner(root, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        self._url = f"http://{host}:{bound_port}"

    async def stop(self) -> None:
        """Stop serving and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- addresses and configuration ----------------------------------------------------

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._url is None:
            raise RuntimeError("the sandbox is not started")
        return self._url

    def base_url(self, provider: str) -> str:
        """The ``base_url`` a client of ``provider`` is configured with."""
        self._check(provider)
        return f"{self.url}/{provider}"

    def connections(self) -> dict[str, dict[str, str]]:
        """The ``connections`` section of a callops.yml pointing at this sandbox."""
        return {
            "alohub-main": {
                "provider": "alohub",
                "base_url": self.base_url("alohub"),
                "api_key": self.alohub.api_key,
                "tenant_id": self.alohub.tenant_id,
            },
            "vbee": {
                "provider": "vbee",
                "base_url": self.base_url("vbee"),
                "api_key": self.vbee.api_key,
                "api_secret": self.vbee.api_secret,
            },
            "aicc": {
                "provider": "aicallcenter",
                "base_url": self.base_url("aicallcenter"),
                "secret_key": self.aicallcenter.secret_key,
            },
            "crm": {
                "provider": "omicall",
                "base_url": self.base_url("omicall"),
                "access_token": self.omicall.access_token,
            },
        }

    def config_yaml(self, **overrides: Any) -> str:
        """A complete callops.yml for this sandbox; keyword arguments replace top-level keys."""
        connections = self.connections()
        config: dict[str, Any] = {
            "language": "en",
            "timezone": "Asia/Ho_Chi_Minh",
            "database_url": "sqlite:///callops.db",
            "admins": ["U0ADMIN1"],
            "operators": [],
            "connections": connections,
            "channels": {"*": list(connections)},
        }
        config.update(overrides)
        config = {key: value for key, value in config.items() if value is not None}
        header = f"# callops.yml for the provider sandbox at {self.url}\n"
        demo = "".join(f"#   {line}\n" for line in self.demo_campaigns())
        header += "# Demo campaign ids (no provider API lists campaigns):\n" + demo
        return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)

    def demo_campaigns(self) -> list[str]:
        """One line per demo campaign of every provider: connection, id, name, what it does."""
        lines = []
        for campaign in self.alohub.campaigns.values():
            if campaign.tenant_id == self.alohub.tenant_id:
                lists = len(campaign.lists)
                lines.append(f"alohub-main  {campaign.campaignId}  {campaign.name} ({lists} lists)")
        for vbee_campaign in self.vbee.campaigns.values():
            note = "" if vbee_campaign.has_balance else ", no balance: every import fails (1402)"
            tags = ", ".join(vbee_campaign.tags)
            lines.append(
                f"vbee  {vbee_campaign.campaign_id}  {vbee_campaign.name} (fields: {tags}{note})"
            )
        for aicc in self.aicallcenter.campaigns.values():
            notes = [
                text
                for flag, text in (
                    (aicc.otp, "voice OTP: otp_code required"),
                    (not aicc.running, "stopped: imports refused (03)"),
                    (not aicc.ours, "another account's: answers 01"),
                )
                if flag
            ]
            suffix = f" ({'; '.join(notes)})" if notes else ""
            lines.append(f"aicc  {aicc.campaign_id}  {aicc.name}{suffix}")
        lines.append("crm  (OMICall CRM contacts: no campaign)")
        return lines

    # -- controls -----------------------------------------------------------------------

    def faults(self, provider: str) -> Faults:
        """The fault settings of ``provider`` (mutable)."""
        self._check(provider)
        return self._gates[provider].faults

    def set_rate_limit(self, provider: str, count: int | None, seconds: float = 10.0) -> None:
        """Allow ``count`` requests per ``seconds`` to ``provider``; ``None`` removes the limit."""
        self._check(provider)
        self._gates[provider].set_rate_limit(count, seconds)

    def requests(self, provider: str) -> list[RecordedRequest]:
        """Every request ``provider`` received so far, oldest first."""
        self._check(provider)
        return list(self._gates[provider].requests)

    def _state(self, provider: str) -> Any:
        return getattr(self, provider)

    def _rng(self, name: str) -> random.Random:
        # one stream per purpose, so growing one data set never shifts another's secrets
        return random.Random(f"{self.options.seed}:{name}")

    def _check(self, provider: str) -> None:
        if provider not in PROVIDERS:
            raise ValueError(f"unknown provider {provider!r}; expected one of {PROVIDERS}")


def serve(host: str = "127.0.0.1", port: int = 8765, options: SandboxOptions | None = None) -> None:
    """Run the sandbox until interrupted, after printing a callops.yml that points at it."""

    async def run() -> None:
        async with Sandbox(host, port, options) as sandbox:
            print(sandbox.config_yaml(), flush=True)
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


# ``/_sandbox/...``: drive a separately running sandbox over HTTP (faults, limits, clock).


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
        if "error_body" in body:
            settings.error_body = bool(body["error_body"])
        if "storm" in body:
            settings.storm = int(_number(body["storm"], "storm"))
        if "storm_retry_after" in body:
            settings.storm_retry_after = int(
                _number(body["storm_retry_after"], "storm_retry_after")
            )
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

    async def process(request: web.Request) -> dict[str, Any]:
        raw = request.match_info["campaign"]
        if not raw.isdigit() or int(raw) not in sandbox.alohub.campaigns:
            raise ControlError(404, f"unknown Alohub campaign {raw!r}")
        body = await body_of(request)
        count = body.get("count")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
            raise ControlError(400, "count must be an integer or null")
        status = body.get("call_status", "ANSWERED")
        if not isinstance(status, str) or not status:
            raise ControlError(400, "call_status must be a non-empty string")
        return {"processed": sandbox.alohub.process_contacts(int(raw), count, status)}

    async def rotate(request: web.Request) -> dict[str, Any]:
        return {"secret_key": sandbox.aicallcenter.rotate_secret()}

    async def aicc_calls(request: web.Request) -> dict[str, Any]:
        body = await body_of(request)
        counts = {key: body.get(key, 0) for key in ("answered", "failed")}
        for key, value in counts.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
                raise ControlError(400, f"{key} must be a whole number from 0 to 100000")
        try:
            ids = sandbox.aicallcenter.place_calls(str(body.get("campaign", "")), **counts)
        except AiccError as exc:
            raise ControlError(404, f"unknown campaign: {exc}") from None
        return {"call_ids": ids}

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
    app.router.add_post("/alohub/campaigns/{campaign}/process", json_handler(process))
    app.router.add_post("/aicallcenter/rotate-secret", json_handler(rotate))
    app.router.add_post("/aicallcenter/calls", json_handler(aicc_calls))
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
