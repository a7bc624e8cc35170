"""HTTP face of the Alohub simulator: the nine ``/v1/...`` endpoints and the error envelope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.sandbox.alohub import AlohubState
from bot.sandbox.alohub_models import AlohubError, ApiKey
from bot.sandbox.gate import Gate, ProviderShape, json_response, read_json
from bot.sandbox.ratelimit import Decision

Action = Callable[[web.Request, ApiKey], Awaitable[web.Response]]


def error(status: int, code: str, message: str) -> web.Response:
    """The Alohub error envelope."""
    return json_response({"success": "0", "error_code": code, "error_message": message}, status)


def success(message: str | None = None, **extra: Any) -> web.Response:
    """The Alohub success envelope."""
    body: dict[str, Any] = {"success": "1", "error_code": "SUCCESS"}
    if message is not None:
        body["error_message"] = message
    body.update(extra)
    return json_response(body)


class AlohubShape(ProviderShape):
    """Alohub's generic errors and its rate-limit headers."""

    def system_error(self) -> web.Response:
        """500 FAIL."""
        return error(500, "FAIL", "Internal server error")

    def error_body(self) -> web.Response:
        """FAIL in the envelope (``success`` "0"), with HTTP 200."""
        return error(200, "FAIL", "Internal server error")

    def rate_limited(self, decision: Decision) -> web.Response:
        """429 RATE_LIMIT_EXCEEDED with Retry-After."""
        response = error(429, "RATE_LIMIT_EXCEEDED", "Too many requests, retry later")
        response.headers["Retry-After"] = str(decision.retry_after)
        return response

    def route_error(self, status: int) -> web.Response:
        """Unknown path or method, in the envelope."""
        return (
            error(404, "NOT_FOUND", "Resource not found")
            if status == 404
            else error(status, "INVALID_INPUT", "Method not allowed")
        )

    def add_limit_headers(self, response: web.StreamResponse, decision: Decision) -> None:
        """Tenant and route limits; the sandbox keeps one window, so both say the same."""
        for scope in ("Tenant", "Route"):
            response.headers[f"X-RateLimit-Limit-{scope}"] = str(decision.limit)
            response.headers[f"X-RateLimit-Remaining-{scope}"] = str(decision.remaining)


def build_app(state: AlohubState, gate: Gate) -> web.Application:
    """The Alohub sub-application, to mount under ``/alohub``."""
    app = web.Application(middlewares=[gate.middleware()])

    def guarded(scope: str, action: Action) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handler(request: web.Request) -> web.Response:
            try:
                key = state.authenticate(request.headers, scope)
                return await action(request, key)
            except AlohubError as exc:
                return error(exc.status, exc.code, exc.message)

        return handler

    async def contact_lists(request: web.Request, key: ApiKey) -> web.Response:
        lists = state.contact_lists(key, request.match_info["campaign"])
        return success(totalRecord=len(lists), data=lists)

    async def list_contacts(request: web.Request, key: ApiKey) -> web.Response:
        page, size = page_args(request)
        m = request.match_info
        total, rows = state.list_contacts(key, m["campaign"], m["list"], page, size)
        return success(totalRecord=total, data=rows)

    async def add_contact(request: web.Request, key: ApiKey) -> web.Response:
        list_id = state.add_contact(key, request.match_info["campaign"], await body_of(request))
        return success(f"Contact added to list {list_id}")

    async def bulk(request: web.Request, key: ApiKey) -> web.Response:
        job_id, total = state.start_bulk(
            key, request.match_info["campaign"], await body_of(request)
        )
        return success("Bulk import started", job_id=job_id, total_rows=total)

    async def import_status(request: web.Request, key: ApiKey) -> web.Response:
        m = request.match_info
        return json_response(state.job_status(key, m["campaign"], m["job"]))

    async def delete_contact(request: web.Request, key: ApiKey) -> web.Response:
        m = request.match_info
        state.delete_contact(key, m["campaign"], m["contact"])
        return success("Contact deleted successfully")

    async def queues(request: web.Request, key: ApiKey) -> web.Response:
        page, size = page_args(request)
        total, rows = state.queue_page(key, page, size)
        return success(totalRecord=total, data=rows)

    async def show_queue(request: web.Request, key: ApiKey) -> web.Response:
        return json_response(state.queue(key, request.match_info["queue"]).as_json())

    async def update_queue(request: web.Request, key: ApiKey) -> web.Response:
        state.update_queue(key, request.match_info["queue"], await body_of(request))
        return success("Inbound queue updated successfully")

    campaign = "/v1/campaigns/{campaign}"
    app.router.add_get(f"{campaign}/contact-lists", guarded("campaign", contact_lists))
    app.router.add_get(
        f"{campaign}/contact-lists/{{list}}/contacts", guarded("campaign", list_contacts)
    )
    app.router.add_post(f"{campaign}/contacts", guarded("campaign", add_contact))
    app.router.add_post(f"{campaign}/contacts/bulk", guarded("campaign", bulk))
    app.router.add_get(f"{campaign}/contacts/import/{{job}}", guarded("campaign", import_status))
    app.router.add_delete(f"{campaign}/contacts/{{contact}}", guarded("campaign", delete_contact))
    app.router.add_get("/v1/queues/inbound", guarded("queue", queues))
    app.router.add_get("/v1/queues/inbound/{queue}", guarded("queue", show_queue))
    app.router.add_put("/v1/queues/inbound/{queue}", guarded("queue", update_queue))
    return app


def page_args(request: web.Request) -> tuple[int, int]:
    """``page`` (from 0, default 0) and ``size`` (default 20) from the query string."""
    page = _query_int(request, "page", 0, minimum=0)
    size = _query_int(request, "size", 20, minimum=1)
    return page, size


def _query_int(request: web.Request, name: str, default: int, minimum: int) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    # seed: "Trang, bắt đầu từ 0 (default: 0)", "Số record/trang (default: 20)"
    if not (raw.isascii() and raw.isdigit()) or int(raw) < minimum:
        raise AlohubError(400, "INVALID_INPUT", f"{name} must be an integer >= {minimum}")
    return int(raw)


async def body_of(request: web.Request) -> Any:
    """The JSON body, or ``INVALID_INPUT`` when it is not JSON."""
    ok, body = await read_json(request)
    if not ok:
        raise AlohubError(400, "INVALID_INPUT", "Body is not valid JSON")
    return body
