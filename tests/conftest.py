"""Fixtures shared by the whole suite: sandbox providers, config, mock transports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import Config, parse_config


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run (matplotlib builds its font cache there once)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def private_home(
    tmp_path_factory: pytest.TempPathFactory, shared_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test's home and XDG folders are its own: nothing writes to the real home.

    The console keeps its sandbox database and its log there; subprocesses inherit it.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    return home


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
