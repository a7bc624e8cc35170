"""Slack's retries (``X-Slack-Retry-Num``) never run a command twice, on one replica or two."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.config import Environment
from bot.slack.bot import Bot
from bot.slack.retries import request_key
from bot.store.models import PendingCommand, SlackRequestSeen
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.slack import test_unhandled
from tests.slack.conftest import ADMIN, SIGNING_SECRET, Harness, bot_config
from tests.store.conftest import _postgres_database

RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
FORM = "application/x-www-form-urlencoded"

# The bot in HTTP mode or in Socket Mode (envelopes from a fake Socket Mode server).
slack = test_unhandled.slack
language = test_unhandled.language


def _answers(fake: FakeSlack, tag: str) -> list[Any]:
    return [c for c in fake.calls if c.method == "response_url" and c.tag == tag]


async def test_a_retried_slash_command_runs_once_and_is_answered_once(harness: Harness):
    before = len(harness.sandbox.requests("alohub"))
    first = await harness.command("/queue", "list")
    assert first.status == 200
    tag = first.response_url.rsplit("/", 1)[-1]
    await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    await harness.bot.drain()
    after_first = len(harness.sandbox.requests("alohub"))
    assert after_first > before  # the command asked the provider

    # Slack sends the very same request again, as a retry.
    retry = await harness.slack.post(urlencode(first.payload).encode(), FORM, headers=RETRY)
    assert retry.status == 200 and retry.text == ""
    await harness.bot.drain()
    assert len(harness.sandbox.requests("alohub")) == after_first
    [answer] = _answers(harness.fake, tag)
    assert "Queue" in str(answer.args) or answer.args.get("blocks")


async def test_a_retried_apply_button_changes_the_queue_once(harness: Harness):
    state = harness.sandbox.alohub
    queue = next(q for q in state.queues.values() if q.tenant_id == state.tenant_id)
    queue.strategy = 1
    reply = await harness.reply("/queue", f"set {queue.callinId} strategy=suspended", user=ADMIN)
    [button] = [
        element
        for block in reply["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "queue_set_confirm"
    ]
    press = await harness.slack.block_action(button["action_id"], button["value"], user_id=ADMIN)
    tag = press.response_url.rsplit("/", 1)[-1]
    await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    await harness.bot.drain()

    retry = await harness.slack.post(
        urlencode({"payload": json.dumps(press.payload)}).encode(), FORM, headers=RETRY
    )
    assert retry.status == 200 and retry.text == ""
    await harness.bot.drain()
    puts = [r for r in harness.sandbox.requests("alohub") if r.method == "PUT"]
    assert [r.json for r in puts] == [{"strategy": 99}]
    assert len(_answers(harness.fake, tag)) == 1


async def test_a_command_is_checked_by_its_own_record_alone(harness: Harness):
    # One statement a command: its record refuses a repeat, so the middleware's separate
    # check (slack_requests_seen) is not asked; an event still is.
    await harness.reply("/queue", "list")
    await harness.slack.event(
        {"type": "app_home_opened", "user": ADMIN, "tab": "home"}, event_id="Ev0SEENONE"
    )
    await harness.bot.drain()

    def keys() -> tuple[list[str], list[str | None]]:
        with harness.bot.services.store.session() as session:
            seen = session.scalars(select(SlackRequestSeen.key)).all()
            return list(seen), list(session.scalars(select(PendingCommand.request_key)).all())

    seen, recorded = await asyncio.to_thread(keys)
    assert seen == ["event:Ev0SEENONE"]
    assert [(key or "").split(":")[0] for key in recorded] == ["command"]


async def test_a_retried_event_is_handled_once(harness: Harness):
    event = {"type": "app_home_opened", "user": ADMIN, "tab": "home"}
    await harness.slack.event(event, event_id="Ev0HOMEONCE")
    await harness.fake.wait_for("views.publish")
    await harness.bot.drain()
    again = await harness.slack.event(event, event_id="Ev0HOMEONCE", retry_num=1)
    assert again.status == 200
    await harness.bot.drain()
    assert len([c for c in harness.fake.calls if c.method == "views.publish"]) == 1


async def test_a_new_command_with_its_own_trigger_is_not_a_repeat(harness: Harness):
    before = len(harness.sandbox.requests("alohub"))
    await harness.reply("/queue", "list")
    middle = len(harness.sandbox.requests("alohub"))
    await harness.reply("/queue", "list")
    assert len(harness.sandbox.requests("alohub")) - middle == middle - before > 0


async def test_a_repeated_slash_command_runs_once_in_http_and_socket_mode(slack: Harness):
    # Socket Mode: Slack re-sends the same payload in a new envelope (retry_attempt 1).
    before = len(slack.sandbox.requests("alohub"))
    first = await slack.command("/queue", "list")
    assert first.status == 200
    tag = first.response_url.rsplit("/", 1)[-1]
    await slack.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    await slack.bot.drain()
    after_first = len(slack.sandbox.requests("alohub"))
    assert after_first > before
    again = await slack.slack.post(urlencode(first.payload).encode(), FORM)
    assert again.status == 200
    await slack.bot.drain()
    assert len(slack.sandbox.requests("alohub")) == after_first
    assert len(_answers(slack.fake, tag)) == 1


def test_each_kind_of_request_is_known_by_its_own_ids():
    assert request_key({"event_id": "Ev1", "type": "event_callback"}) == "event:Ev1"
    assert request_key({"command": "/queue", "trigger_id": "1.2"}) == "command:1.2"
    assert request_key({"type": "block_actions", "trigger_id": "3.4"}) == "interaction:3.4"
    view = {"type": "view_closed", "view": {"id": "V1", "hash": "h1"}}
    assert request_key(view) == "view:V1:h1"
    # An options request must always be answered: never dropped.
    assert request_key({"type": "block_suggestion", "view": {"id": "V1", "hash": "h"}}) is None


@pytest.fixture
def postgres_url() -> AsyncIterator[str]:
    yield from _postgres_database()


@pytest.mark.postgres
async def test_the_same_command_sent_to_two_replicas_on_one_postgresql_runs_once(
    sandbox: Any, tmp_path: Any, postgres_url: str
):
    async with FakeSlack() as fake:
        env = Environment(
            slack_bot_token=fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
        )
        config = bot_config(sandbox, tmp_path, database_url=postgres_url)
        replicas = [Bot(config, env), Bot(config, env)]
        ports = [await bot.start_http("127.0.0.1", 0) for bot in replicas]
        try:
            async with (
                SlackClient(
                    f"http://127.0.0.1:{ports[0]}",
                    SIGNING_SECRET,
                    response_url_factory=fake.response_url,
                ) as one,
                SlackClient(
                    f"http://127.0.0.1:{ports[1]}",
                    SIGNING_SECRET,
                    response_url_factory=fake.response_url,
                ) as two,
            ):
                before = len(sandbox.requests("alohub"))
                first = await one.command("/queue", "list")
                # Slack's retry of it reaches the other replica.
                retry = await two.post(urlencode(first.payload).encode(), FORM, headers=RETRY)
                assert first.status == retry.status == 200
                tag = first.response_url.rsplit("/", 1)[-1]
                await fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
                for bot in replicas:
                    await bot.drain()
                one_run = len(sandbox.requests("alohub")) - before
                assert len(_answers(fake, tag)) == 1

                # Slack's retries of another command reach both replicas at once.
                before = len(sandbox.requests("alohub"))
                second = await one.command("/queue", "list")
                body = urlencode(second.payload).encode()
                retries = await asyncio.gather(
                    *(c.post(body, FORM, headers=RETRY) for c in (one, two, one, two))
                )
                assert {r.status for r in retries} == {200}
                tag = second.response_url.rsplit("/", 1)[-1]
                await fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
                for bot in replicas:
                    await bot.drain()
                assert len(sandbox.requests("alohub")) - before == one_run
                assert len(_answers(fake, tag)) == 1

                # The same command, not a retry, on one replica alone, asks as much.
                before = len(sandbox.requests("alohub"))
                await one.command("/queue", "list")
                await replicas[0].drain()
                assert len(sandbox.requests("alohub")) - before == one_run > 0
        finally:
            for bot in replicas:
                await bot.stop()
