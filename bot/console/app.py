"""A console bound to a config: services, dispatcher, chat and session, started and stopped."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.config import Config, parse_config
from bot.console.chat import ConsoleChat
from bot.console.prompt import Ask, StdinAsk
from bot.console.screen import Screen
from bot.console.session import Session
from bot.dispatcher import Dispatcher
from bot.logging import hide_secrets
from bot.messages import Messages
from bot.middleware.access import role_of
from bot.routing import Router
from bot.services import Services

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
        from commands import ROUTER

        self.config = config
        self.interactive = interactive
        self.screen = screen or Screen()
        self.msg = Messages(config.language)
        self.chat = ConsoleChat(
            self.screen, self.msg, files_dir=files_dir, max_download=config.imports.max_bytes
        )
        self.services = Services.build(config, chat=self.chat)
        hide_secrets(self.services.secrets)
        self.dispatcher = Dispatcher(self.services, router or ROUTER)
        self.user, self.channel = seat(config, user, channel)
        self.session = Session(
            self.dispatcher,
            self.chat,
            ask or StdinAsk(self.screen, interactive=interactive),
            user_id=self.user,
            channel_id=self.channel,
            wait_limit=INTERACTIVE_WAIT if interactive else None,
        )

    async def start(self) -> None:
        """Resume jobs and schedules, as the Slack bot does."""
        from bot.background import start_background

        await start_background(self.services)

    async def stop(self) -> None:
        """Stop background work and close connections."""
        from bot.background import stop_background

        await stop_background(self.services)
        await self.services.aclose()

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
            await self.session.run()
            if not self.interactive:
                # A script ends when the work it started ends (an import's last progress post).
                await self.finish_work()
        finally:
            await self.stop()

    async def finish_work(self) -> None:
        """Wait until no background task and no import job is running."""
        while True:
            await self.services.drain()
            jobs = self.services.jobs
            if jobs is None or not jobs.runs:
                if not self.services.tasks:
                    return
                continue
            # Jobs run on their own tasks and the scheduler, not ``services.spawn``: poll.
            await asyncio.sleep(JOB_POLL)


async def run_console(
    config: Config, *, interactive: bool, user: str | None = None, channel: str | None = None
) -> None:
    """Run the console on ``config`` until the input ends or the user quits."""
    await Console(config, interactive=interactive, user=user, channel=channel).run()


async def run_sandbox_console(
    *,
    interactive: bool,
    language: Literal["en", "vi"] = "en",
    user: str | None = None,
    channel: str | None = None,
) -> None:
    """Start the provider simulators in-process and run the console on them (temp database)."""
    from bot.sandbox import Sandbox

    with tempfile.TemporaryDirectory(prefix="callops-console-") as tmp:
        async with Sandbox(host="127.0.0.1", port=0) as sandbox:
            config = sandbox_config(sandbox, f"sqlite:///{tmp}/callops.db", language)
            await run_console(config, interactive=interactive, user=user, channel=channel)
