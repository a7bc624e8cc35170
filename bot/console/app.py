"""A console bound to a config: the runtime with a console chat port, and a session."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.access import role_of
from bot.config import Config, parse_config
from bot.console.chat import ConsoleChat
from bot.console.prompt import Ask, StdinAsk, TerminalAsk
from bot.console.screen import Screen
from bot.console.session import Session
from bot.logging import hide_secrets
from bot.routing import Router
from bot.runtime import Runtime, catalog

if TYPE_CHECKING:
    from bot.sandbox import Sandbox

CONSOLE_USER = "U0CONSOLE"
CONSOLE_CHANNEL = "C0CONSOLE"
# A person at a terminal gets the prompt back after this long; late messages still print.
INTERACTIVE_WAIT = 3.0
JOB_POLL = 0.2


def seat(config: Config, user: str | None = None, channel: str | None = None) -> tuple[str, str]:
    """Who the console user is and where: the first admin, in a channel the config binds."""
    user = user or (config.admins[0] if config.admins else CONSOLE_USER)
    if channel is None:
        bound = config.channels
        # Without "*" the console channel would be refused everything: sit in a bound one.
        usable = not bound or CONSOLE_CHANNEL in bound or "*" in bound
        channel = CONSOLE_CHANNEL if usable else next(iter(bound))
    return user, channel


def sandbox_config(
    sandbox: Sandbox, database_url: str, language: Literal["en", "vi"] = "en"
) -> Config:
    """A config on the in-process sandbox: every connection, every channel, the console admin."""
    connections = sandbox.connections()
    raw = {
        "language": language,
        "database_url": database_url,
        "admins": [CONSOLE_USER],
        "connections": connections,
        "channels": {"*": list(connections)},
    }
    return parse_config(raw, "(sandbox)", {})


class Console:
    """The bot's handlers behind a fake Slack context, talking through a ``Screen``."""

    def __init__(
        self,
        config: Config,
        *,
        ask: Ask | None = None,
        interactive: bool = False,
        user: str | None = None,
        channel: str | None = None,
        screen: Screen | None = None,
        router: Router | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self.config = config
        self.interactive = interactive
        self.screen = screen or Screen()
        self.msg = catalog(config)
        self.chat = ConsoleChat(
            self.screen, self.msg, files_dir=files_dir, max_download=config.imports.max_bytes
        )
        self.runtime = Runtime(config, chat=self.chat, router=router)
        self.services = self.runtime.services
        hide_secrets(self.services.secrets)
        self.dispatcher = self.runtime.dispatcher
        self.user, self.channel = seat(config, user, channel)
        if ask is None:
            ask = TerminalAsk() if interactive else StdinAsk(self.screen)
        self.ask = ask
        self.session = Session(
            self.dispatcher,
            self.chat,
            ask,
            user_id=self.user,
            channel_id=self.channel,
            wait_limit=INTERACTIVE_WAIT if interactive else None,
        )

    async def start(self) -> None:
        """Resume jobs and schedules, as the Slack bot does."""
        await self.runtime.start()

    async def stop(self) -> None:
        """Stop background work and close connections."""
        await self.runtime.stop()
        await self.runtime.aclose()

    def banner(self) -> str:
        """One line: who, where, what to type."""
        role = role_of(self.config, self.user).name.lower()
        return self.msg(
            "console.banner",
            user=f"@{self.user}",
            role=self.msg(f"role.{role}"),
            channel=f"#{self.channel}",
        )

    async def run(self) -> None:
        """Greet, answer lines until the end, then let background work finish."""
        await self.start()
        try:
            self.screen.write(self.banner() + "\n")
            with self._terminal():
                await self.session.run()
            if not self.interactive:
                # A script ends when the work it started ends (an import's last progress post).
                await self.finish_work()
        finally:
            await self.stop()

    @contextlib.contextmanager
    def _terminal(self) -> Iterator[None]:
        """At a terminal: late messages print above the prompt; Ctrl-C ends a wait, not us.

        At a prompt Ctrl-C is a key the prompt reads (``Interrupted``); between prompts the
        terminal turns it into SIGINT, which would otherwise stop the whole console while
        it waits for a command's work or a form's "reading…" view.
        """
        if not isinstance(self.ask, TerminalAsk):
            yield
            return
        previous = None
        if threading.current_thread() is threading.main_thread():
            loop = asyncio.get_running_loop()

            def on_sigint(signum: int, frame: object) -> None:
                loop.call_soon_threadsafe(self.session.interrupt)

            previous = signal.signal(signal.SIGINT, on_sigint)
        try:
            with self.ask.printing_above():
                yield
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    async def finish_work(self) -> None:
        """Wait until no background task and no import job is running."""
        while True:
            await self.services.drain()
            if not self.services.jobs.runs:
                if not self.services.background.tasks:
                    return
                continue
            # Jobs run on their own tasks and the scheduler, not ``services.spawn``: poll.
            await asyncio.sleep(JOB_POLL)


async def run_console(
    config: Config,
    *,
    interactive: bool,
    user: str | None = None,
    channel: str | None = None,
    notices: tuple[str, ...] = (),
) -> None:
    """Run the console on ``config`` until the input ends or the user quits.

    ``notices`` are printed once the console is built, so a start that fails (say, on an
    unusable database) prints its one sentence and nothing else.
    """
    console = Console(config, interactive=interactive, user=user, channel=channel)
    for notice in notices:
        print(notice, flush=True)
    await console.run()


def sandbox_database() -> Path:
    """Where the sandbox console keeps its database: the user's data directory.

    A file there, not a temporary one, so the jobs and history of one session are still
    listed in the next (``$XDG_DATA_HOME/callops`` on Linux, the platform's own elsewhere).
    """
    from platformdirs import user_data_path

    return user_data_path("callops", appauthor=False) / "sandbox.db"


async def run_sandbox_console(
    *,
    interactive: bool,
    database: Path,
    language: Literal["en", "vi"] = "en",
    user: str | None = None,
    channel: str | None = None,
) -> None:
    """Start the provider simulators in-process and run the console on them."""
    from bot.sandbox import Sandbox

    await asyncio.to_thread(database.parent.mkdir, parents=True, exist_ok=True)
    async with Sandbox(host="127.0.0.1", port=0) as sandbox:
        config = sandbox_config(sandbox, f"sqlite:///{database}", language)
        await run_console(config, interactive=interactive, user=user, channel=channel)
