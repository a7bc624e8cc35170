"""Scripted provider answers and a recording ``sleep``, for tests of the provider layer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from bot.config import AlohubConnection
from tests.conftest import make_config

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def alohub_connection(**fields: Any) -> AlohubConnection:
    """An Alohub connection named ``alohub-main`` (fields override the defaults)."""
    conn = {
        "provider": "alohub",
        "base_url": "https://xapi.test/api",
        "api_key": "ak-live-0123456789",
        **fields,
    }
    connection = make_config(**{"alohub-main": conn}).connections["alohub-main"]
    assert isinstance(connection, AlohubConnection)
    return connection


def envelope(data: Any = None, **extra: Any) -> dict[str, Any]:
    """Alohub's success envelope."""
    body: dict[str, Any] = {"success": "1", "error_code": "SUCCESS", **extra}
    if data is not None:
        body["data"] = data
    return body


def failure(status: int, code: str, message: str, **headers: str) -> httpx.Response:
    """Alohub's error envelope with an HTTP status."""
    body = {"success": "0", "error_code": code, "error_message": message}
    return httpx.Response(status, json=body, headers=headers)


class Script:
    """An ``httpx.MockTransport`` handler answering from a list, recording each request.

    When the list runs out the last answer repeats. An exception in the list is raised
    (as httpx would raise a network failure); a callable is called with the request.
    """

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    @property
    def paths(self) -> list[str]:
        """``METHOD /path?query`` of each request, in order."""
        return [f"{r.method} {r.url.raw_path.decode()}" for r in self.requests]

    def body(self, index: int = -1) -> Any:
        """The JSON body of one request."""
        return json.loads(self.requests[index].content)


class Sleeps:
    """A ``sleep`` that returns at once and remembers how long it was asked to wait."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
