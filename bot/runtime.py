"""The composition root: every part of the bot, built once, in dependency order.

config → store → provider clients → chat (on Slack, through the outbox: ``bot.outbox``) →
messages and languages → scheduler → alerts → Home → job engine → summaries → the per-request
services handlers see → the dispatcher. Each part is handed what it uses, complete, when it
is made: nothing is filled in later. The Slack bot (``bot.slack.bot``), the console
(``bot.console.app``) and ``callops check`` build from here; only the chat port differs
(Slack, the console's screen, none).

``start`` enters the election for scheduled work (``bot.leader``): on the leader the
scheduler runs and the background work kept in the database is resumed from it (import
jobs, Alohub polls, daily summaries, campaign-finished checks, alert checks) and the outbox
sends; on the others commands only record work (and messages), which the leader picks up.
``stop`` stops it and frees the leadership; ``aclose`` releases connections.
"""

from __future__ import annotations

import gc
import logging
from datetime import datetime

from bot import metrics
from bot.alerts.service import STOP_GRACE, AlertService
from bot.background import Background
from bot.chat import Chat, NullChat
from bot.config import Config, secret_values
from bot.dispatcher import Dispatcher
from bot.home import HomeService
from bot.home.alerts_source import AlertsOnHome
from bot.jobs.engine import JobEngine
from bot.languages import Languages
from bot.leader import Leadership, leadership_for
from bot.messages import Messages
from bot.outbox import Outbox, OutboxChat
from bot.providers.registry import Clients
from bot.providers.retry import RetryPolicy
from bot.routing import Router
from bot.schedule import Scheduler
from bot.services import Services
from bot.store import Store, open_store
from bot.summaries.finished import CampaignFinishes
from bot.summaries.service import SummaryService
from commands import ROUTER

log = logging.getLogger(__name__)


def provider_clients(config: Config, retry: RetryPolicy | None = None) -> Clients:
    """The clients of every configured connection (built on first use)."""
    return Clients(config.connections, retry=retry)


def catalog(config: Config) -> Messages:
    """The catalog the bot's parts hold: in the language of the scope it is used in (a
    request's caller, a job's channel: ``bot.languages``), else the configured one."""
    return Messages.scoped(config.language)


class Runtime:
    """The bot's parts for one config and one chat port, built in dependency order."""

    def __init__(
        self,
        config: Config,
        *,
        chat: Chat | None = None,
        router: Router | None = None,
        paced: bool = False,
    ) -> None:
        self.config = config
        self.store: Store = open_store(config.database_url)
        self.clients = provider_clients(config)
        # Slack (``paced``): what the bot says on its own goes through the outbox, at the
        # channel's pace, sent by the leader (``bot.outbox``); the console prints at once.
        self.outbox: Outbox | None = Outbox(self.store, chat) if paced and chat else None
        self.chat: Chat = (
            OutboxChat(self.outbox, chat) if self.outbox and chat else chat or NullChat()
        )
        self.messages = catalog(config)
        self.background = Background()
        self.languages = Languages(
            default=config.language,
            store=self.store,
            locale_of=self.chat.user_locale,
            background=self.background,
        )
        self.scheduler = Scheduler(config.tz)
        self.alerts = AlertService(
            config=config,
            store=self.store,
            clients=self.clients,
            messages=self.messages,
            languages=self.languages,
            chat=self.chat,
            scheduler=self.scheduler,
        )
        self.home = HomeService(
            config=config,
            store=self.store,
            clients=self.clients,
            languages=self.languages,
            chat=self.chat,
            background=self.background,
            alerts=AlertsOnHome(self.alerts),
        )
        self.jobs = JobEngine(
            config=config,
            store=self.store,
            clients=self.clients,
            messages=self.messages,
            languages=self.languages,
            chat=self.chat,
            scheduler=self.scheduler,
            now=self.now,
            on_end=self.home.job_ended,
        )
        self.summaries = SummaryService(
            config=config,
            store=self.store,
            clients=self.clients,
            messages=self.messages,
            languages=self.languages,
            chat=self.chat,
            scheduler=self.scheduler,
            background=self.background,
        )
        self.finishes = CampaignFinishes(
            config=config,
            store=self.store,
            clients=self.clients,
            languages=self.languages,
            chat=self.chat,
            scheduler=self.scheduler,
        )
        self.services = Services(
            config=config,
            clients=self.clients,
            store=self.store,
            messages=self.messages,
            languages=self.languages,
            chat=self.chat,
            jobs=self.jobs,
            summaries=self.summaries,
            alerts=self.alerts,
            home=self.home,
            background=self.background,
            secrets=secret_values(config),
        )
        self.dispatcher = Dispatcher(self.services, router or ROUTER)
        self.leadership: Leadership = leadership_for(self.store.engine, self.store.fence)
        self._started = False

    def now(self) -> datetime:
        """The current time in the configured timezone."""
        return datetime.now(self.config.tz)

    async def start(self) -> None:
        """Enter the election; the scheduled work starts when this replica leads."""
        self._started = True
        await self.leadership.start(self._lead, self._follow)

    async def stop(self) -> None:
        """Stop the scheduled work (when leading) and free the leadership."""
        if not self._started:
            return
        self._started = False
        await self.leadership.close()

    @property
    def leader(self) -> bool:
        """True while this replica runs the scheduled work."""
        return self.leadership.leader

    async def _lead(self) -> None:
        """Elected: start the scheduler, rebuild its triggers and resume the jobs from the DB."""
        self.scheduler.start()
        metrics.set_leader(True)  # this process runs the scheduled work
        if self.outbox is not None:
            await self.outbox.start()
        await self.jobs.start()
        await self.summaries.start()
        await self.alerts.start()
        await self.finishes.start()

    async def _follow(self, graceful: bool) -> None:
        """No longer leading: send nothing more, first thing. Stopping (``graceful``), the
        requests in flight get their grace; a lost lock cancels them at once (another
        replica may lead already), leaving their batches to its resume rules."""
        if self.outbox is not None and not graceful:
            await self.outbox.stop(grace=0.0)  # lost: not one message more, first thing
        await self.jobs.stop(grace=self.jobs.stop_grace if graceful else 0.0)
        await self.summaries.stop()
        await self.alerts.stop(grace=STOP_GRACE if graceful else 0.0)
        await self.finishes.stop()
        if self.outbox is not None and graceful:  # after the jobs and alerts: their last words
            await self.outbox.stop()
        self.scheduler.shutdown()
        metrics.set_leader(False)

    async def drain(self) -> None:
        """Wait for the work started after replies so far (tests, shutdown)."""
        await self.background.drain()

    async def aclose(self) -> None:
        """Cancel what still runs after a reply; close provider clients and the database."""
        await self.background.cancel()
        await self.clients.aclose()
        await self.store.aclose()


def freeze_start_up_objects() -> None:
    """Keep what start-up built (modules, config, clients: ~150,000 objects) out of every
    later garbage collection: it lives as long as the process. Without this, each full
    collection walked all of it, 0.2–0.4 s with the loop stopped, and every ack waiting
    then waited that long (bench/ack_latency.py; ~20 ms after). Call it once, serving."""
    gc.collect()
    gc.freeze()
