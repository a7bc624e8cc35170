"""Everything a handler may use, built once per process from the config."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.chat import Chat, NullChat
from bot.config import Config
from bot.messages import Messages
from bot.middleware.audit import secret_values
from bot.providers.registry import Clients
from bot.store import Store, open_store

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from bot.jobs.engine import JobEngine
    from bot.schedule import Scheduler
    from bot.summaries.service import SummaryService


@dataclass
class Services:
    """The config, provider clients, database, catalog and chat port of the running bot."""

    config: Config
    clients: Clients
    store: Store
    messages: Messages
    chat: Chat = field(default_factory=NullChat)
    jobs: JobEngine | None = None
    scheduler: Scheduler | None = None
    summaries: SummaryService | None = None
    secrets: list[str] = field(default_factory=list)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @classmethod
    def build(cls, config: Config, *, chat: Chat | None = None) -> Services:
        """Services for ``config`` with its database schema ready."""
        store = open_store(config.database_url)
        return cls(
            config=config,
            clients=Clients(config.connections),
            store=store,
            messages=Messages(config.language),
            chat=chat or NullChat(),
            secrets=secret_values(config),
        )

    def spawn(self, work: Coroutine[Any, Any, None], *, name: str) -> asyncio.Task[None]:
        """Run ``work`` after the reply; keep a reference so it is not collected, log failures."""
        task = asyncio.get_running_loop().create_task(work, name=name)
        self.tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background work %s failed", task.get_name(), exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for background work started so far (tests, shutdown)."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    def now(self) -> datetime:
        """The current time in the configured timezone."""
        return datetime.now(self.config.tz)

    async def aclose(self) -> None:
        """Close provider clients and the database pool."""
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.clients.aclose()
        await self.store.aclose()
