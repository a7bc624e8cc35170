"""Fixtures shared by the whole suite: sandbox providers, config, mock transports, and the
guard that fails any test in which the database is called on the event loop's thread."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import Config, parse_config
from tests.harness import db_guard
from tests.harness.database import drop_bot_databases


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run (matplotlib builds its font cache there once)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session", autouse=True)
def database_off_the_loop() -> Iterator[None]:
    """Every SQLAlchemy statement and connection checkout of the run passes the guard."""
    uninstall = db_guard.install()
    yield
    uninstall()
    drop_bot_databases()


@pytest.fixture(autouse=True)
def no_blocking_database_call(database_off_the_loop: None) -> Iterator[None]:
    """Fail the test when its code called the database on the event loop's thread, even if
    the code under test caught the guard's error."""
    position = db_guard.mark()
    yield
    found = db_guard.refused_since(position)
    if found:
        pytest.fail(f"{len(found)} blocking database call(s) on the event loop; first:\n{found[0]}")


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
