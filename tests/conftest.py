"""Fixtures shared by the whole suite: sandbox providers, config, mock transports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from bot.config import Config, parse_config


@pytest.fixture
async def sandbox() -> AsyncIterator[Any]:
    """The four provider simulators on 127.0.0.1, with seeded demo data."""
    from bot.sandbox import Sandbox, SandboxOptions

    async with Sandbox(host="127.0.0.1", port=0, options=SandboxOptions(seed=7)) as sb:
        yield sb


@pytest.fixture
def sandbox_config(sandbox: Any) -> Config:
    """A config whose connections point at the running sandbox."""
    raw = {"connections": sandbox.connections(), "admins": ["U0ADMIN1"]}
    return parse_config(raw, "callops.yml", {})


def make_config(**connections: dict[str, Any]) -> Config:
    """A config with the given connections (name → fields) and nothing else."""
    return parse_config({"connections": connections}, "callops.yml", {})


Handler = Callable[[httpx.Request], httpx.Response]


def mock_http(handler: Handler) -> httpx.AsyncClient:
    """An httpx client whose requests are answered by ``handler`` (no network)."""
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))
