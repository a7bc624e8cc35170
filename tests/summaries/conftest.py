"""Summary tests drive the clock: a ``SummaryService`` is given ``now`` instead of sleeping."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.providers.registry import Clients
from bot.runtime import Runtime
from bot.services import Services
from bot.store.summaries import Schedule, SummaryStore
from bot.summaries.service import SummaryService
from tests.slack.conftest import OPS_CHANNEL, Harness, bot_config, harness

__all__ = ["TZ", "Clock", "at", "harness", "second_runtime", "subscribe"]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hh_mm: str) -> datetime:
    """``HH:MM`` local on ``day``."""
    hour, minute = map(int, hh_mm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


@dataclass
class Clock:
    """The time a service reads; tests move it."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (forward or back, as a system clock can)."""
        self.now = moment

    def advance(self, **delta: float) -> None:
        """Move forward."""
        self.now += timedelta(**delta)


async def subscribe(
    services: Services,
    *,
    since: datetime,
    at: str = "08:00",
    day: str = "yesterday",
    campaign: str | None = None,
    connection: str = "aicc",
    channel: str = OPS_CHANNEL,
) -> int:
    """Subscribe ``channel`` as if an admin had done it at ``since``; returns the id."""
    store = SummaryStore(services.store)
    row, _ = await store.subscribe(
        Schedule(channel, connection, at, day, campaign), "U0ADMIN1", now=since
    )
    return row.id


@pytest.fixture
def clock() -> Clock:
    """Today 07:00 local, whatever the real time: "yesterday" is a full day of sandbox calls.

    Subscriptions are made with ``subscribe(since=…)`` relative to this clock, so the
    real time of day never decides whether a run is due.
    """
    return Clock(at(datetime.now(TZ).date(), "07:00"))


@pytest.fixture
def make_service(harness: Harness, clock: Clock) -> Callable[..., SummaryService]:
    """A summary service on the harness bot's runtime (or another), reading ``clock``."""

    def make(runtime: Runtime | None = None, *, clients: Clients | None = None) -> SummaryService:
        parts = runtime or harness.bot.runtime
        return SummaryService(
            config=parts.config,
            store=parts.store,
            clients=clients or parts.clients,
            messages=parts.messages,
            languages=parts.languages,
            chat=parts.chat,
            scheduler=parts.scheduler,
            background=parts.background,
            clock=clock,
        )

    return make


@pytest.fixture
async def second_runtime(harness: Harness, tmp_path: Any) -> AsyncIterator[Runtime]:
    """A second bot process (not started) on the same database and the same fake Slack."""
    runtime = Runtime(bot_config(harness.sandbox, tmp_path), chat=harness.bot.runtime.chat)
    yield runtime
    await runtime.drain()
    await runtime.stop()
    await runtime.aclose()
