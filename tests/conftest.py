"""Fixtures shared by the whole suite: sandbox providers, config, mock transports.

Also three suite-wide rules: hypothesis runs a fixed, derandomized budget (CI is
deterministic), no configured secret appears in any log record of the run, at DEBUG, and
no database call runs on the event loop's thread (tests/harness/db_guard.py).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from pydantic import SecretStr

from bot.config import Config, parse_config
from tests.harness import db_guard
from tests.harness.database import drop_bot_databases

# A fixed budget, the same examples on every run: a property costs a few seconds at most.
# HYPOTHESIS_PROFILE=deep explores more (and randomly) when hunting locally.
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- No secret in any log line -------------------------------------------------------------

# Shorter values ("k", "tok-1") are test placeholders that would match ordinary words.
_SECRET_MIN_LENGTH = 8
# Libraries whose DEBUG output is their own internals (SQLAlchemy would also switch on SQL
# echo at INFO, fonttools dumps tables): kept at WARNING so DEBUG does not slow the suite.
_QUIET_LIBRARIES = ("sqlalchemy", "matplotlib", "PIL", "fontTools", "asyncio", "aiosqlite")


class SecretWatch(logging.Handler):
    """Checks every log record of the run against every secret any config or env was given.

    Secrets are learned where they are born: each ``SecretStr`` (every credential field of
    ``Config`` and ``Environment``: provider keys, the sandbox's credentials, Slack tokens
    and signing secrets) registers its value. A record that contains one is kept as a leak.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.secrets: set[str] = set()
        self.leaks: list[str] = []
        self._formatter = logging.Formatter("%(name)s %(levelname)s: %(message)s")

    def watch(self, value: object) -> None:
        if isinstance(value, str) and len(value) >= _SECRET_MIN_LENGTH:
            self.secrets.add(value)

    def emit(self, record: logging.LogRecord) -> None:
        if not self.secrets:
            return
        try:
            text = self._formatter.format(record)
        except Exception:  # a record that cannot be formatted is the logging module's report
            return
        for secret in self.secrets:
            if secret in text:
                self.leaks.append(f"{secret[:4]}… in {text[:300]}")


SECRET_WATCH = SecretWatch()
_secret_init = SecretStr.__init__


def _watched_secret_init(self: SecretStr, secret_value: str) -> None:
    SECRET_WATCH.watch(secret_value)
    _secret_init(self, secret_value)


SecretStr.__init__ = _watched_secret_init  # type: ignore[method-assign]


def _install_secret_watch() -> None:
    root = logging.getLogger()
    if SECRET_WATCH not in root.handlers:
        root.addHandler(SECRET_WATCH)
    root.setLevel(logging.DEBUG)
    for name in _QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


@pytest.fixture(autouse=True)
def no_secret_in_logs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every record at DEBUG and above is checked; a test whose records hold a secret fails.

    (Re)installed per test: a test may reset the root logger (the CLI's ``setup_logging``).
    """
    _install_secret_watch()
    before = len(SECRET_WATCH.leaks)
    yield
    leaks = SECRET_WATCH.leaks[before:]
    assert not leaks, f"{len(leaks)} log record(s) hold a configured secret: {leaks[:3]}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Leaks outside any test (session fixtures, teardown of shared servers) fail the run."""
    if SECRET_WATCH.leaks and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"secret(s) in the log: {SECRET_WATCH.leaks[:3]}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
