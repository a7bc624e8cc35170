"""Campaign finished (Alohub): one post in a subscribed channel when nothing is left to call.

A channel subscribed with ``/calls summary on … campaign=<id>`` on an Alohub connection is
watched by the leader every ``check_seconds``: the campaign's contacts are read list by
list (``processStatus`` per the seed alohub-campaign-contacts.txt: "0=pending, 1=in_call,
2=processed"). The first contact still pending or in call ends the check (nothing to say
yet); a campaign with contacts, all processed, is finished. The post is in the channel's
language (``bot.languages``).

State before words, once: the (channel, connection, campaign) row is inserted before the
post (``bot.store.finishes``), so a later check, a restarted bot or a new leader loses the
insert and posts nothing. A post Slack refuses is recorded ``failed`` and not retried:
never twice outranks always. A provider that cannot be read is tried at the next check.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.chat import Chat
from bot.config import Config
from bot.errors import CallopsError
from bot.languages import Languages
from bot.providers.alohub import AlohubClient
from bot.providers.registry import Clients
from bot.render.finished import finished_blocks, finished_text
from bot.schedule import Scheduler
from bot.stats import ListProgress
from bot.stats.progress import IN_CALL, PENDING
from bot.store import Store
from bot.store.fence import Deposed
from bot.store.finishes import FinishStore, Key
from bot.store.summaries import SummaryStore

log = logging.getLogger(__name__)

__all__ = ["CHECK_ID", "CampaignFinishes", "FinishResult", "finished_totals"]

CHECK_ID = "campaign-finished-check"
PAGE = 100  # Alohub's page, as ``bot.calls.service.CONTACT_PAGE``


@dataclass(frozen=True, slots=True)
class FinishResult:
    """One finished campaign told (or not: ``state`` failed) in one channel."""

    channel: str
    campaign: str
    state: str
    message_ts: str | None = None


async def finished_totals(client: AlohubClient, campaign: str) -> ListProgress | None:
    """The campaign's counts when no contact is pending or in call; None otherwise.

    None too for a campaign without contacts (nothing was called: it has not finished).
    """
    total = ListProgress()
    for item in await client.contact_lists(campaign):
        async for contact in client.contacts(campaign, item.list_id, size=PAGE):
            if contact.process_status in (PENDING, IN_CALL):
                return None  # still calling: stop reading here
            total.add(contact.process_status, contact.call_status)
    if total.total == 0 or total.unknown:
        return None  # a status the seed does not name says nothing about being done
    return total


class CampaignFinishes:
    """The leader's check of every campaign subscription on Alohub, posting each end once."""

    check_seconds = 120.0

    def __init__(
        self,
        *,
        config: Config,
        store: Store,
        clients: Clients,
        languages: Languages,
        chat: Chat,
        scheduler: Scheduler,
    ) -> None:
        self.config = config
        self.subscriptions = SummaryStore(store)
        self.store = FinishStore(store)
        self.clients = clients
        self.languages = languages
        self.chat = chat
        self.scheduler = scheduler

    async def start(self) -> None:
        """Lead: check on the scheduler, at once and then every ``check_seconds``."""
        self.scheduler.every(CHECK_ID, self.check_seconds, self._tick)

    async def stop(self) -> None:
        """No longer leading: no more checks."""
        self.scheduler.remove(CHECK_ID)

    async def _tick(self) -> None:
        try:
            await self.check()
        except Deposed:
            log.warning("another replica leads now: it checks the finished campaigns")

    async def check(self) -> list[FinishResult]:
        """Post for every watched campaign that has finished and was not told yet."""
        told = await self.store.claimed()
        results = []
        for subscription in await self.subscriptions.subscriptions():
            key: Key = (subscription.channel, subscription.connection, subscription.campaign or "")
            client = self._alohub(subscription.connection)
            if not subscription.campaign or client is None or key in told:
                continue
            try:
                totals = await finished_totals(client, subscription.campaign)
            except CallopsError as error:
                log.warning("campaign %s: not checked (%s)", subscription.campaign, error)
                continue
            if totals is not None:
                result = await self._tell(key, totals)
                if result is not None:
                    results.append(result)
        return results

    def _alohub(self, connection: str) -> AlohubClient | None:
        if connection not in self.config.connections:
            return None
        client = self.clients[connection]
        return client if isinstance(client, AlohubClient) else None

    async def _tell(self, key: Key, totals: ListProgress) -> FinishResult | None:
        channel, connection, campaign = key
        claim = await self.store.claim(key, totals.processed)
        if claim is None:
            return None  # told (or being told) by another check
        try:
            async with self.languages.channel_scope(channel) as msg:  # what everyone there reads
                blocks = finished_blocks(
                    msg, campaign=campaign, connection=connection, totals=totals
                )
                text = finished_text(msg, campaign, totals)
                ts = await self.chat.post(channel, text, blocks, key=f"campaign-finished:{claim}")
        except Exception as error:
            log.exception("could not post that campaign %s finished in %s", campaign, channel)
            await self.store.finish(
                claim, "failed", detail=f"{type(error).__name__}: {error}"[:500]
            )
            return FinishResult(channel, campaign, "failed")
        await self.store.finish(claim, "posted", ts)
        return FinishResult(channel, campaign, "posted", ts)
