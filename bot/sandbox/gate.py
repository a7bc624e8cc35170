"""The middleware every simulated provider sits behind: record, rate-limit, inject faults."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.sandbox.clock import Clock
from bot.sandbox.faults import Faults
from bot.sandbox.ratelimit import Decision, SlidingWindow

MALFORMED_BODY = "<html><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass
class RecordedRequest:
    """One request a simulator received; ``path`` is relative to the provider's prefix."""

    provider: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    body: str
    time: float
    status: int | None = None


class ProviderShape:
    """How one provider words its generic errors; subclasses override what differs."""

    def system_error(self) -> web.Response:
        """The provider's answer to an internal fault (HTTP 5xx)."""
        raise NotImplementedError

    def error_body(self) -> web.Response:
        """The provider's system error in its body, sent with HTTP 200 (several do that)."""
        raise NotImplementedError

    def rate_limited(self, decision: Decision) -> web.Response:
        """The provider's answer to a request over the rate limit (HTTP 429)."""
        raise NotImplementedError

    def route_error(self, status: int) -> web.Response:
        """The provider's answer to an unknown path (404) or method (405)."""
        raise NotImplementedError

    def add_limit_headers(self, response: web.StreamResponse, decision: Decision) -> None:
        """Add rate-limit headers to every answer; most providers send none."""


@dataclass
class Gate:
    """Per-provider request log, fault settings and optional rate limiter."""

    provider: str
    clock: Clock
    shape: ProviderShape
    requests: list[RecordedRequest]
    faults: Faults = field(default_factory=Faults)
    limiter: SlidingWindow | None = None

    def set_rate_limit(self, count: int | None, seconds: float | None = None) -> None:
        """Limit to ``count`` requests per ``seconds`` (default 10 s); ``None`` removes it."""
        self.limiter = None if count is None else SlidingWindow(count, seconds or 10.0)

    def middleware(self) -> Middleware:
        """The aiohttp middleware to install on the provider's sub-application."""

        @web.middleware
        async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
            record = await self._record(request)
            response = await self._answer(request, handler)
            record.status = response.status
            return response

        return gate

    async def _answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.faults.latency > 0:
            await asyncio.sleep(self.faults.latency)
        decision = self.limiter.hit(self.clock.monotonic()) if self.limiter else None
        response: web.StreamResponse
        if self.faults.take_storm():
            wait = self.faults.storm_retry_after
            storm = Decision(False, decision.limit if decision else 0, 0, wait)
            response = self.shape.rate_limited(storm)
        elif decision is not None and not decision.allowed:
            response = self.shape.rate_limited(decision)
        elif self.faults.roll_error():
            response = self.shape.system_error()
        elif self.faults.error_body:
            response = self.shape.error_body()
        elif self.faults.malformed:
            response = web.Response(text=MALFORMED_BODY, content_type="text/html")
        else:
            try:
                response = await handler(request)
            except (web.HTTPNotFound, web.HTTPMethodNotAllowed) as exc:
                response = self.shape.route_error(exc.status)
        if decision is not None:
            self.shape.add_limit_headers(response, decision)
        return response

    async def _record(self, request: web.Request) -> RecordedRequest:
        raw = await request.read()  # aiohttp caches it, so handlers can read it again
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        prefix = f"/{self.provider}"
        path = request.path[len(prefix) :] if request.path.startswith(prefix) else request.path
        record = RecordedRequest(
            provider=self.provider,
            method=request.method,
            path=path,
            query=dict(request.query),
            headers=dict(request.headers),
            json=body,
            body=text,
            time=self.clock.time(),
        )
        self.requests.append(record)
        return record


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON answer with Vietnamese text left readable (UTF-8, not \\u escapes)."""
    return web.Response(
        text=json.dumps(data, ensure_ascii=False),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )


async def read_json(request: web.Request) -> tuple[bool, Any]:
    """Parse the request body as JSON: ``(True, value)``, or ``(False, None)`` if it is not JSON."""
    text = await request.text()
    if not text.strip():
        return True, None
    try:
        return True, json.loads(text)
    except ValueError:
        return False, None
