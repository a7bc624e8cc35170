"""Alert tests drive the clock: the sandbox's clock is frozen and moved, and the bot's
checks are given the same ``now`` the leader's 5-minute trigger would pass."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.alerts.service import Checked
from bot.config import Environment
from bot.sandbox.aicallcenter import ENCODED
from bot.slack.bot import Bot
from bot.store.alerts import AlertStore
from tests.harness.database import leading
from tests.harness.fake_slack import Call
from tests.harness.signing import SlackClient
from tests.slack.conftest import (
    ADMIN,
    OPS_CHANNEL,
    SIGNING_SECRET,
    Harness,
    bot_config,
    harness,
)

__all__ = ["CAMPAIGN", "Clock", "alert_posts", "button_value", "clock", "harness", "restart"]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The sandbox's campaign without past calls: the window holds exactly the calls a test places.
CAMPAIGN = ENCODED
QUOTED = f'campaign="{CAMPAIGN}"'


@dataclass
class Clock:
    """The scheduler's clock, driven: the sandbox's frozen clock, moved by the test."""

    harness: Harness

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.harness.sandbox.clock.time(), TZ)

    def advance(self, seconds: float) -> None:
        self.harness.sandbox.clock.advance(seconds)

    def calls(self, answered: int = 0, failed: int = 0) -> None:
        """Calls that end now, then a second later (the window's end is exclusive)."""
        self.harness.sandbox.aicallcenter.place_calls(CAMPAIGN, answered, failed)
        self.advance(1)

    async def check(self) -> list[Checked]:
        """What the leader's trigger does at ``now``."""
        return await self.harness.bot.runtime.alerts.check_due(self.now)

    async def tick(self) -> list[Checked]:
        """Five minutes later, the next check."""
        self.advance(300)
        return await self.check()


@pytest.fixture
def clock(harness: Harness) -> Clock:
    harness.sandbox.clock.freeze()
    return Clock(harness)


def store(harness: Harness) -> AlertStore:
    return AlertStore(harness.bot.services.store)


def alert_posts(harness: Harness, words: str = "Alert #") -> list[Call]:
    """The channel posts whose text holds ``words``."""
    return [
        c
        for c in harness.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == OPS_CHANNEL and words in str(c.args.get("text", ""))
    ]


def button_value(post: Call, action_id: str) -> str:
    """The value of one of a post's buttons."""
    blocks = post.args["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {blocks}")


def copies(harness: Harness, audit: str | None) -> list[Any]:
    """The audit channel's copies of ``/calls alert on``."""
    return [
        c
        for c in harness.fake.calls
        if c.method == "chat.postMessage"
        and c.args.get("channel") == audit
        and "alert on" in str(c.args.get("text"))
    ]


async def add_rule(harness: Harness, text: str, words: str = "set alert rule") -> dict[str, Any]:
    """An admin sets a rule; returns the channel post saying so (with ``words``)."""
    before = len(alert_posts(harness, words))
    audited = len(copies(harness, harness.bot.services.config.audit_channel))
    ack = await harness.command("/calls", f"alert on {text}", user=ADMIN)
    assert ack.status == 200
    await harness.fake.wait_for(
        "chat.postMessage",
        predicate=lambda c: len(alert_posts(harness, words)) > before,
    )
    call = alert_posts(harness, words)[before]
    audit = harness.bot.services.config.audit_channel
    if audit:  # its audit copy follows through the outbox: out too before the test goes on
        await harness.fake.wait_for(
            "chat.postMessage",
            predicate=lambda c: len(copies(harness, audit)) > audited,
        )
    return call.args


@pytest.fixture
async def restart(harness: Harness, tmp_path: Any) -> AsyncIterator[Any]:
    """Stop the harness's bot and start another on the same database and fake Slack."""
    made: list[Bot] = []

    async def again() -> Bot:
        await harness.bot.services.drain()
        await harness.bot.stop()
        env = Environment(
            slack_bot_token=harness.fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=harness.fake.api_url,
        )
        bot = Bot(bot_config(harness.sandbox, tmp_path), env)
        port = await bot.start_http("127.0.0.1", 0)
        await leading(bot)
        made.append(bot)
        harness.bot = bot
        client = SlackClient(
            f"http://127.0.0.1:{port}",
            SIGNING_SECRET,
            response_url_factory=harness.fake.response_url,
        )
        await client.__aenter__()
        clients.append(client)
        harness.slack = client
        return bot

    clients: list[SlackClient] = []
    yield again
    for client in clients:
        await client.aclose()
    for bot in made:  # the harness stops only the bot it started
        await bot.services.drain()
        await bot.stop()
