"""A console on the sandbox, driven by scripted lines: ``await console.run("/queue list")``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config
from bot.console import Screen, ScriptedAsk
from bot.console.app import Console, sandbox_config
from bot.routing import Router


@dataclass
class Driver:
    """Types lines into a running console and returns what it printed meanwhile."""

    console: Console
    ask: ScriptedAsk
    out: io.StringIO

    async def run(self, *lines: str) -> str:
        """Type ``lines`` (commands, numbers, answers); wait for the work they start."""
        start = len(self.out.getvalue())
        self.ask.feed(lines)
        await self.console.session.run()
        await self.console.finish_work()
        return self.out.getvalue()[start:]


async def start_console(config: Config, router: Router | None = None, **kwargs: Any) -> Driver:
    """A started console on ``config`` writing into a string."""
    out = io.StringIO()
    screen = Screen(out)
    ask = ScriptedAsk([], screen)
    console = Console(config, ask=ask, screen=screen, router=router, **kwargs)
    await console.start()
    return Driver(console, ask, out)


@pytest.fixture
def console_config(sandbox: Any, tmp_path: Path) -> Config:
    """The config ``callops console --sandbox`` builds, on the test's sandbox."""
    return sandbox_config(sandbox, f"sqlite:///{tmp_path}/callops.db")


@pytest.fixture
async def console(console_config: Config, tmp_path: Path) -> AsyncIterator[Driver]:
    """The console with every command of the app, on the sandbox."""
    driver = await start_console(console_config, files_dir=tmp_path / "files")
    yield driver
    await driver.console.stop()


ROOT = Path(__file__).resolve().parents[2]


def callops_env(**extra: str) -> dict[str, str]:
    """The environment of a ``callops`` subprocess: no Slack token, no config, this checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CALLOPS_")) and k != "DATABASE_URL"
    }
    env.update(PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", **extra)
    return env


def callops(
    *args: str, stdin: str = "", cwd: Path, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` to the end, as a user would run ``callops ARGS``."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=callops_env(**env),
        timeout=timeout,
        check=False,
    )
