"""The live App Home of one user: fetched in parallel, recent fetches cached, published.

What a user sees (``bot.render.home``): for each connection the user may use (the
connections bound to the channels Slack says the user is in, operators and admins only),
today's calls and answer rate against yesterday up to the same time (AICallCenter call
records); the user's running imports with their progress bars; the open alerts of the
user's channels with their *Acknowledge* button (``bot.home.alerts``).

Published when the user opens the tab and when an import of theirs ends (the job engine
calls ``job_ended``). Every fetch of one Home runs at once: the user's channels (Slack),
each connection's two periods (the provider), the running jobs (the database) and the
alerts. Provider figures and channel memberships are cached per process for ``ttl``
seconds (``bot.home.cache``), so each replica asks a provider at most once a minute per
connection however many users open Home; jobs and alerts are read fresh every time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.access import Role, channel_connections, role_of
from bot.background import Background
from bot.calls import fetch_period_stats
from bot.chat import Chat
from bot.config import Config
from bot.errors import CallopsError, PermissionDenied
from bot.home.alerts import AlertSource, NoAlerts, OpenAlert
from bot.home.cache import TTLCache
from bot.languages import Languages
from bot.messages import Messages, channel_link
from bot.providers.aicallcenter import AICallCenterClient
from bot.providers.registry import Clients
from bot.render.errors import describe, describe_any
from bot.render.home import ConnectionCalls, HomeFacts, home_view
from bot.stats import CallStats, parse_period
from bot.store import Store
from bot.store.home import HomeStore

log = logging.getLogger(__name__)

__all__ = ["HomeService"]

CALL_RECORDS_PROVIDER = "aicallcenter"  # the one provider whose call records Home reads


@dataclass(frozen=True, slots=True)
class _Today:
    """One connection's calls today until ``until`` and yesterday until the same time."""

    today: CallStats
    yesterday: CallStats
    until: datetime


class HomeService:
    """Builds and publishes users' Home tabs."""

    ttl = 60.0  # seconds a provider's figures and a user's channels are reused
    max_jobs = 20  # running imports shown (the 100-block limit cuts sooner if need be)

    def __init__(
        self,
        *,
        config: Config,
        store: Store,
        clients: Clients,
        languages: Languages,
        chat: Chat,
        background: Background,
        alerts: AlertSource | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.config = config
        self.store = HomeStore(store)
        self.clients = clients
        self.languages = languages
        self.chat = chat
        self.background = background
        self.alerts: AlertSource = alerts or NoAlerts()
        self.clock = clock or (lambda: datetime.now(config.tz))
        self._calls: TTLCache[_Today] = TTLCache(self.ttl)
        self._channels: TTLCache[frozenset[str] | None] = TTLCache(self.ttl)

    async def publish(self, user: str, *, notice: str | None = None) -> None:
        """Build the user's Home now and publish it (``notice``: what their press did)."""
        await self.chat.publish_home(user, await self.view(user, notice=notice))

    async def acknowledge(self, user: str, channel: str, key: str) -> None:
        """The user pressed an alert's Acknowledge on Home: acknowledge it when they are in
        its channel, then publish their Home saying what happened. A refusal is raised
        after that too, for a press that has somewhere else to be answered."""
        msg = Messages(await self.languages.of_user(user))
        channels = await self._member_channels(user)
        try:
            if channels is None or channel not in channels:
                raise PermissionDenied("home.alerts.not_member", channel=channel_link(channel))
            await self.alerts.acknowledge(channel, key, user)
        except CallopsError as error:
            await self.publish(user, notice=describe(error, msg))
            raise
        await self.publish(
            user, notice=msg("home.alerts.acknowledged", channel=channel_link(channel))
        )

    def forget(self) -> None:
        """Empty the caches: the next Home asks Slack and the providers again."""
        self._calls.clear()
        self._channels.clear()

    def job_ended(self, job_id: int) -> None:
        """An import ended (the job engine's hook): refresh its creator's Home, after."""
        self.background.spawn(self._refresh_creator(job_id), name=f"home after J{job_id}")

    async def view(self, user: str, *, notice: str | None = None) -> dict[str, object]:
        """The user's Home view, every part fetched at once."""
        now = self.clock()
        msg = Messages(await self.languages.of_user(user))  # the user's alone
        operator = role_of(self.config, user) >= Role.OPERATOR
        jobs = asyncio.ensure_future(self.store.running_jobs(user, self.max_jobs))
        channels = await self._member_channels(user) if operator else None
        names = self._connections(channels) if channels is not None else []
        # By the config: asking ``clients`` would build every connection's client (and its
        # TLS context) just to look at its type.
        aicc = [n for n in names if self.config.connections[n].provider == CALL_RECORDS_PROVIDER]
        calls, alerts, running = await asyncio.gather(
            asyncio.gather(*(self._connection_calls(msg, name, now) for name in aicc)),
            self._open_alerts(channels or frozenset(), msg),
            jobs,
        )
        facts = HomeFacts(
            now=now,
            timezone=self.config.timezone,
            admins=list(self.config.admins),
            operator=operator,
            channels_known=channels is not None,
            calls=calls,
            others=[n for n in names if n not in aicc],
            jobs=running,
            alerts=alerts,
            notice=notice,
        )
        return home_view(msg, facts)

    # Parts

    def _connections(self, channels: Collection[str]) -> list[str]:
        """The connections bound to any of ``channels``, in the config's order."""
        bound: set[str] = set()
        for channel in channels:
            bound.update(channel_connections(self.config, channel))
        return [name for name in self.config.connections if name in bound]

    async def _member_channels(self, user: str) -> frozenset[str] | None:
        try:
            return await self._channels.get(("channels", user), lambda: self._ask_slack(user))
        except Exception:
            log.warning("could not read the channels of %s for Home", user, exc_info=True)
            return None

    async def _ask_slack(self, user: str) -> frozenset[str] | None:
        return await self.chat.member_channels(user)

    async def _connection_calls(self, msg: Messages, name: str, now: datetime) -> ConnectionCalls:
        key = (name, now.date())
        try:
            found = await self._calls.get(key, lambda: self._fetch_today(name, now))
        except Exception as error:
            return ConnectionCalls(name, error=describe_any(error, msg))
        return ConnectionCalls(name, found.today, found.yesterday, until=found.until)

    async def _fetch_today(self, name: str, now: datetime) -> _Today:
        client = self.clients[name]
        assert isinstance(client, AICallCenterClient)
        today = parse_period("today", now=now, timezone=self.config.tz)
        yesterday = today.previous()  # yesterday until the same time
        current, before = await asyncio.gather(
            fetch_period_stats(client, today), fetch_period_stats(client, yesterday)
        )
        return _Today(current, before, now)

    async def _open_alerts(self, channels: frozenset[str], msg: Messages) -> Sequence[OpenAlert]:
        if not channels:
            return ()
        try:
            return await self.alerts.open_alerts(channels, msg)
        except Exception:
            log.exception("could not read the open alerts for Home")
            return ()

    async def _refresh_creator(self, job_id: int) -> None:
        try:
            creator = await self.store.creator_of(job_id)
            if creator:
                await self.publish(creator)
        except Exception:
            log.exception("could not refresh Home after J%d", job_id)
