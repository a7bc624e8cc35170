"""What a handler may use: built last by ``bot.runtime``, every part already running.

Nothing here is filled in later: the job engine and the summaries exist before the
services that hand them to handlers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.alerts.service import AlertService
from bot.background import Background
from bot.chat import Chat
from bot.config import Config
from bot.home import HomeService
from bot.jobs.engine import JobEngine
from bot.languages import Languages
from bot.messages import Messages
from bot.providers.registry import Clients
from bot.store import Store
from bot.summaries.service import SummaryService


@dataclass(frozen=True)
class Services:
    """The config, provider clients, database, catalog, languages, chat port, jobs, summaries,
    alerts and the App Home.

    ``messages`` speaks the language of the running scope (``bot.languages``); a handler
    uses ``Ctx.msg``, in its caller's language.
    """

    config: Config
    clients: Clients
    store: Store
    messages: Messages
    languages: Languages
    chat: Chat
    jobs: JobEngine
    summaries: SummaryService
    alerts: AlertService
    home: HomeService
    background: Background = field(default_factory=Background)
    secrets: list[str] = field(default_factory=list)

    def spawn(self, work: Coroutine[Any, Any, None], *, name: str) -> asyncio.Task[None]:
        """Run ``work`` after the reply (see ``Background.spawn``)."""
        return self.background.spawn(work, name=name)

    async def drain(self) -> None:
        """Wait for the work started after replies so far (tests, shutdown)."""
        await self.background.drain()

    def now(self) -> datetime:
        """The current time in the configured timezone."""
        return datetime.now(self.config.tz)
