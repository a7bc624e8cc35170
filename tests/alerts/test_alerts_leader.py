"""A change of leader on PostgreSQL neither repeats nor forgets an alert: two bots on one
database, the first leads and fires, stops; the second takes over the checks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.config import Environment
from bot.leader import PostgresLeadership
from bot.slack.bot import Bot
from bot.store.fence import Deposed
from tests.alerts.conftest import Clock, add_rule, alert_posts, button_value, store
from tests.alerts.test_alerts_e2e import RULE
from tests.harness.database import leading
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.slack.conftest import OPERATOR, OPS_CHANNEL, SIGNING_SECRET, Harness, bot_config
from tests.store.conftest import _postgres_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped after the test (skipped where no server runs)."""
    yield from _postgres_database()


async def _bot(sandbox: Any, tmp_path: Any, fake: FakeSlack, url: str) -> tuple[Bot, int]:
    env = Environment(
        slack_bot_token=fake.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
    )
    bot = Bot(bot_config(sandbox, tmp_path, database_url=url), env)
    return bot, await bot.start_http("127.0.0.1", 0)


async def test_a_new_leader_neither_repeats_nor_forgets_an_alert(
    sandbox: Any, tmp_path: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch
):
    # The fence is tested with real replicas (tests/jobs/test_replicas.py); here the second
    # bot may start its checks as soon as it holds the lock.
    monkeypatch.setattr(PostgresLeadership, "fence_seconds", 0.0)
    async with FakeSlack() as fake:
        first, port = await _bot(sandbox, tmp_path, fake, pg_url)
        second: Bot | None = None
        try:
            await leading(first)
            second, second_port = await _bot(sandbox, tmp_path, fake, pg_url)
            assert not second.runtime.leader
            async with SlackClient(
                f"http://127.0.0.1:{port}", SIGNING_SECRET, response_url_factory=fake.response_url
            ) as client:
                harness = Harness(client, fake, sandbox, first)
                sandbox.clock.freeze()
                clock = Clock(harness)
                await add_rule(harness, RULE)
                clock.calls(answered=4, failed=16)
                assert [c.state for c in await clock.check()] == ["pending"]
                # Two replicas checking the same 5 minutes at once: one check, not two.
                clock.advance(300)
                both = await asyncio.gather(
                    first.runtime.alerts.check_due(clock.now),
                    second.runtime.alerts.check_due(clock.now),
                )
                assert sorted(len(result) for result in both) == [0, 1]
                (post,) = alert_posts(harness)
                alert_ts = (await store(harness).rules(OPS_CHANNEL))[0].alert_ts
                assert alert_ts is not None
                await first.stop()  # the leader goes; the second takes the lock
            await leading(second, within=30.0)
            async with SlackClient(
                f"http://127.0.0.1:{second_port}",
                SIGNING_SECRET,
                response_url_factory=fake.response_url,
            ) as client:
                harness = Harness(client, fake, sandbox, second)
                clock = Clock(harness)
                assert await clock.check() == []  # that slot was checked by the first leader
                for _ in range(2):
                    clock.calls(failed=3)
                    assert [(c.state, c.events) for c in await clock.tick()] == [("firing", ())]
                assert len(alert_posts(harness)) == 1
                # The alert the first leader posted is acknowledged through the second.
                press = await client.block_action("alert_ack", button_value(post, "alert_ack"))
                assert press.status == 200
                await fake.wait_for(
                    "chat.update", predicate=lambda c: "Acknowledged by" in str(c.args["blocks"])
                )
                assert (await store(harness).rules(OPS_CHANNEL))[0].acked_by == OPERATOR
                clock.calls(answered=60)
                assert [c.events for c in await clock.tick()] == [("recovered",)]
                (recovered,) = alert_posts(harness, "Recovered")
                assert recovered.args["thread_ts"] == alert_ts
        finally:
            await first.stop()
            if second is not None:
                await second.services.drain()
                await second.stop()


def _bump_epoch(url: str) -> None:
    """Another replica took the lead (what its election does to the epoch row)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE leader_epochs SET epoch = epoch + 1"))
    finally:
        engine.dispose()


async def test_a_deposed_leaders_check_records_and_posts_nothing(
    sandbox: Any, tmp_path: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(PostgresLeadership, "fence_seconds", 0.0)
    async with FakeSlack() as fake:
        bot, port = await _bot(sandbox, tmp_path, fake, pg_url)
        try:
            await leading(bot)
            async with SlackClient(
                f"http://127.0.0.1:{port}", SIGNING_SECRET, response_url_factory=fake.response_url
            ) as client:
                harness = Harness(client, fake, sandbox, bot)
                sandbox.clock.freeze()
                clock = Clock(harness)
                await add_rule(harness, RULE)
                clock.calls(answered=4, failed=16)
                assert [c.state for c in await clock.check()] == ["pending"]
                await asyncio.to_thread(_bump_epoch, pg_url)
                with pytest.raises(Deposed):
                    await clock.tick()
                rule = (await store(harness).rules(OPS_CHANNEL))[0]
                assert rule.state == "pending" and alert_posts(harness) == []
        finally:
            await bot.stop()
