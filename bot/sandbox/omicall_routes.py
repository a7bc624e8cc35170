"""HTTP face of the OMICall simulator: routes ``/api/contacts/...`` to ``OmicallState``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.sandbox.gate import Gate, read_json
from bot.sandbox.omicall import OmicallState, OmiError, envelope

Action = Callable[[web.Request, Any], Any]


def build_app(state: OmicallState, gate: Gate) -> web.Application:
    """The OMICall sub-application, to mount under ``/omicall``."""
    app = web.Application(middlewares=[gate.middleware()])

    def route(action: Action) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handler(request: web.Request) -> web.Response:
            try:
                state.authenticate(request.headers.get("Authorization"))
                state.tick()
                ok, body = await read_json(request)
                if not ok:
                    raise OmiError(400, "body is not valid JSON")
                return envelope(action(request, body))
            except OmiError as exc:
                http_status = 401 if exc.status_code == 401 else 200
                return envelope({"message": exc.message}, exc.status_code, http_status)

        return handler

    def contact_id(request: web.Request) -> str:
        return request.match_info["id"]

    add = app.router.add_route
    add("POST", "/api/contacts/list", route(lambda r, b: state.search(b, r.query)))
    add("POST", "/api/contacts/add", route(lambda r, b: state.add(b)))
    add("POST", "/api/contacts/add-more", route(lambda r, b: state.add_more(b)))
    add("POST", "/api/contacts/update", route(lambda r, b: state.update(b)))
    add("DELETE", "/api/contacts/delete/{id}", route(lambda r, b: state.delete(contact_id(r))))
    add("POST", "/api/contacts/add-note", route(lambda r, b: state.add_notes(b)))
    add("GET", "/api/contacts/get", route(lambda r, b: state.get(r.query)))
    add("GET", "/api/contacts/details/{id}", route(lambda r, b: state.details(contact_id(r))))
    add("GET", "/api/source_contact_layout/get", route(lambda r, b: state.layout))
    return app
