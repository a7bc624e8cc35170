"""Slack's limits and faults, end to end: the bot over signed HTTP, the fake Slack answering
``ratelimited`` (HTTP 429 with Retry-After) past its per-channel pace, or 5xx.

What the bot says on its own goes through the outbox (``bot.outbox``): paced per channel,
updates coalesced, Retry-After waited out, 5xx tried again, stored so a restart sends what
was left, once. The imports themselves are untouched by Slack's trouble: every valid row
reaches the provider once.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import update

from bot.outbox import Outbox
from bot.providers.retry import RetryPolicy
from bot.slack.app import web_client
from bot.slack.chat import SlackChat
from bot.store import Store, open_store
from bot.store.models import OutboxMessage, utcnow
from bot.store.outbox import OutboxStore
from tests.harness.database import bot_database_url
from tests.harness.fake_slack import Call, FakeSlack
from tests.jobs.data import contact_list
from tests.jobs.e2e import FINAL, confirm, eventually, import_file, running_bot
from tests.jobs.providers import at_provider
from tests.slack.conftest import OPS_CHANNEL, Harness

pytestmark = pytest.mark.slow

# Slack's one message a second per channel, shortened for the tests (as the outbox's pace).
PACE = 0.2
QUICK_RETRY = RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.2)


def _ok(call: Call) -> bool:
    return call.status == 200


def _sent(fake: FakeSlack, channel: str = OPS_CHANNEL) -> list[Call]:
    """The messages Slack took in a channel (posts and updates), in order."""
    return [
        c
        for c in fake.calls
        if c.method in ("chat.postMessage", "chat.update")
        and c.args.get("channel") == channel
        and _ok(c)
    ]


async def _all_out(h: Harness, jobs: int, within: float = 120.0) -> None:
    """Every job ended and every row of the outbox is settled (sent or given up)."""
    store = h.bot.services.store
    outbox = h.bot.runtime.outbox
    assert outbox is not None

    async def settled() -> bool:
        for job_id in range(1, jobs + 1):
            job = await store.job(job_id)
            if job is None or job.state not in FINAL or job.final_owed:
                return False
        rows = await outbox.rows.rows()
        return all(row.state in ("sent", "failed") for row in rows)

    await eventually(settled, within=within, what="every job ended and its words sent")


async def _final_text(h: Harness, job_id: int) -> str:
    """What the job's card says at the end, as the fake Slack shows it."""
    job = await h.bot.services.store.job(job_id)
    assert job is not None and job.message_ts
    return str(h.fake.messages[job.message_ts]["text"])


def _of_job(call: Call, job_id: int) -> bool:
    return re.match(rf"\*J{job_id}\b", str(call.args.get("text", ""))) is not None


async def test_twenty_imports_at_once_in_one_channel_stay_within_slacks_pace(
    sandbox: Any, tmp_path: Path
):
    fake = FakeSlack()
    await fake.start()
    fake.rate_limit_channels(interval=PACE, retry_after=1)
    lists = [contact_list(3, seed=100 + n) for n in range(20)]
    try:
        async with running_bot(
            sandbox, tmp_path, fake=fake, pace=PACE, batch_sizes={"vbee": 2}
        ) as h:
            views = [
                await import_file(h, "vbee", content, f"list{n}.csv")
                for n, (content, _) in enumerate(lists)
            ]
            # Slack also limits on its own (other apps, bursts): some answers are 429 anyway.
            fake.rate_limit_next("chat.update", retry_after=1, times=2)
            fake.rate_limit_next("chat.postMessage", retry_after=1, times=1)
            acks = await asyncio.gather(*(confirm(h, view) for view in views))
            assert all(ack.status == 200 for ack in acks)
            await _all_out(h, 20)

            limited = [c for c in fake.calls if c.status == 429]
            assert len(limited) == 3, "Slack's own 429s only: the outbox kept the channel's pace"
            assert fake.early == [], "a message went before its Retry-After ran out"
            rows = await h.bot.runtime.outbox.rows.rows()  # type: ignore[union-attr]
            assert {row.state for row in rows} == {"sent"}, "no 429 left unhandled"

            sent = _sent(fake)
            gaps = [b.time - a.time for a, b in itertools.pairwise(sent)]
            assert min(gaps) >= PACE * 0.95, "the channel's messages went at its pace"
            posts = [c for c in sent if c.method == "chat.postMessage"]
            assert len(posts) == 20, "one card per job"
            for job_id in range(1, 21):
                final = await _final_text(h, job_id)
                assert f"*J{job_id} finished*" in final, final
                carrying = [c for c in sent if c.args.get("text") == final]
                assert len(carrying) == 1, f"J{job_id}'s result arrived once"
            for n, (_, valid) in enumerate(lists):
                held = at_provider(sandbox, "vbee")
                assert all(held[p] == 1 for p in valid), f"list {n}"
    finally:
        await fake.close()


async def test_retry_after_is_waited_out_before_the_channels_next_message(
    sandbox: Any, tmp_path: Path
):
    content, valid = contact_list(4, seed=7)
    async with running_bot(sandbox, tmp_path, pace=PACE, batch_sizes={"vbee": 2}) as h:
        view = await import_file(h, "vbee", content)
        # Past slack_sdk's five tries inside the call: the outbox waits the sixth one out.
        h.fake.rate_limit_next("chat.update", retry_after=1, times=6)
        await confirm(h, view)
        await _all_out(h, 1, within=60.0)

        calls = [c for c in h.fake.calls if c.method in ("chat.postMessage", "chat.update")]
        limited = [c for c in calls if c.status == 429]
        assert len(limited) == 6
        for refused in limited:
            after = [c for c in calls if c.time > refused.time]
            assert after and after[0].time >= refused.time + 1.0, "sent before Retry-After"
        assert h.fake.early == []
        assert "*J1 finished*" in await _final_text(h, 1)
        assert all(at_provider(sandbox, "vbee")[p] == 1 for p in valid)


async def test_server_errors_on_post_and_update_are_tried_again(
    sandbox: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    content, valid = contact_list(4, seed=8)
    async with running_bot(sandbox, tmp_path, pace=PACE, batch_sizes={"vbee": 2}) as h:
        assert h.bot.runtime.outbox is not None
        h.bot.runtime.outbox.policy = QUICK_RETRY
        view = await import_file(h, "vbee", content)
        h.fake.server_error_next("chat.postMessage", 500, times=2)
        h.fake.server_error_next("chat.update", 503, times=2, html=True)
        with caplog.at_level(logging.WARNING, logger="bot.outbox"):
            await confirm(h, view)
            await _all_out(h, 1, within=60.0)

        statuses = Counter(
            (c.method, c.status) for c in h.fake.calls if c.method.startswith("chat.")
        )
        assert statuses[("chat.postMessage", 500)] == 2 and statuses[("chat.update", 503)] == 2
        assert statuses[("chat.postMessage", 200)] == 1, "the card posted once"
        assert "*J1 finished*" in await _final_text(h, 1)
        assert "trying again" in caplog.text
        assert all(at_provider(sandbox, "vbee")[p] == 1 for p in valid)


@pytest.mark.logs_error
async def test_slack_failing_for_good_loses_no_row_and_says_so_in_the_log(
    sandbox: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    content, valid = contact_list(4, seed=9)
    async with running_bot(sandbox, tmp_path, pace=PACE, batch_sizes={"vbee": 2}) as h:
        outbox = h.bot.runtime.outbox
        assert outbox is not None
        outbox.policy = QUICK_RETRY
        view = await import_file(h, "vbee", content)
        h.fake.server_error_next("chat.update", 500, times=1000)
        with caplog.at_level(logging.WARNING, logger="bot.outbox"):
            await confirm(h, view)
            await _all_out(h, 1, within=60.0)
        job = await h.bot.services.store.job(1)
        assert job is not None and job.state == "done"
        assert all(at_provider(sandbox, "vbee")[p] == 1 for p in valid), "every row once"
        failed = [row for row in await outbox.rows.rows() if row.state == "failed"]
        assert failed and all(row.kind == "update" for row in failed)
        assert any("*J1 finished*" in row.text for row in failed), "the words are kept"
        assert "given up, kept in outbox_messages" in caplog.text

        # Slack is well again: the channel's next message goes; nothing waits behind.
        h.fake.clear_faults("chat.update")
        reply = await h.reply("/job", "list")
        assert "J1" in str(reply)
        second, valid2 = contact_list(2, seed=10)
        await confirm(h, await import_file(h, "vbee", second, "again.csv"))
        await _all_out(h, 2, within=60.0)
        assert "*J2 finished*" in await _final_text(h, 2)
        assert all(at_provider(sandbox, "vbee")[p] == 1 for p in valid2)


async def test_messages_left_by_a_dead_process_are_sent_once_after_the_restart(
    sandbox: Any, tmp_path: Path
):
    async with FakeSlack() as fake:
        client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
        card = (await client.chat_postMessage(channel=OPS_CHANNEL, text="J9 running"))["ts"]
        # What a killed bot left: a summary not sent yet, an update of a card, and a post it
        # had claimed (maybe sent, maybe not) before it died, long enough ago.
        store = await asyncio.to_thread(open_store, bot_database_url(tmp_path))
        rows = OutboxStore(store)
        summary = await rows.enqueue_post(OPS_CHANNEL, "daily summary", None, key="summary:1")
        await rows.enqueue_update(OPS_CHANNEL, card, "J9 finished", None)
        claimed = await rows.enqueue_post(OPS_CHANNEL, "audit copy", None)
        await rows.claim(claimed.id, "dead-replica", utcnow())
        await store.write(_claimed_long_ago, store, claimed.id)
        await store.aclose()

        async with running_bot(sandbox, tmp_path, fake=fake, pace=PACE) as h:
            outbox = h.bot.runtime.outbox
            assert outbox is not None

            async def all_sent() -> bool:
                return {r.state for r in await outbox.rows.rows()} == {"sent"}

            await eventually(all_sent, within=30.0, what="the rows left sent")
            texts = Counter(str(c.args.get("text")) for c in _sent(fake))
            assert texts["daily summary"] == 1 and texts["audit copy"] == 1
            assert texts["J9 finished"] == 1 and fake.messages[card]["text"] == "J9 finished"
            # The summary's key still names its message: posting it again sends nothing new.
            ts = await h.bot.runtime.chat.post(OPS_CHANNEL, "daily summary", key="summary:1")
            assert ts == (await outbox.rows.row(summary.id)).ts  # type: ignore[union-attr]
            assert Counter(str(c.args.get("text")) for c in _sent(fake))["daily summary"] == 1


async def test_a_fresh_claim_of_another_replica_is_not_sent_again(tmp_path: Path):
    # A replica may still be in its call: its row is left to it for ``claim_seconds``.
    async with FakeSlack() as fake:
        store = await asyncio.to_thread(open_store, f"sqlite:///{tmp_path}/outbox.db")
        outbox = Outbox(store, SlackChat(web_client(fake.bot_token, fake.api_url)), me="leader")
        outbox.pace_seconds = outbox.poll_seconds = 0.05
        rows = outbox.rows
        theirs = await rows.enqueue_post(OPS_CHANNEL, "theirs", None)
        await rows.claim(theirs.id, "other-replica", utcnow())
        ours = await rows.enqueue_post(OPS_CHANNEL, "ours", None)
        await outbox.start()
        try:
            await outbox.delivered(ours.id)
            assert [c.args.get("text") for c in fake.calls_to("chat.postMessage")] == ["ours"]
            row = await rows.row(theirs.id)
            assert row is not None and row.state == "sending" and row.claimed_by == "other-replica"
        finally:
            await outbox.stop()
            await store.aclose()


async def test_updates_waiting_for_their_turn_are_coalesced_and_the_last_words_arrive(
    tmp_path: Path,
):
    async with FakeSlack() as fake:
        chat = SlackChat(web_client(fake.bot_token, fake.api_url))
        card = await chat.post(OPS_CHANNEL, "0 of 100")
        store = await asyncio.to_thread(open_store, f"sqlite:///{tmp_path}/outbox.db")
        outbox = Outbox(store, chat)
        outbox.pace_seconds = outbox.poll_seconds = 0.05
        for done in (10, 50, 90, 100):  # while nobody leads: stored, not sent
            await outbox.update(OPS_CHANNEL, card, f"{done} of 100")
        await outbox.start()
        try:
            await fake.wait_for("chat.update", lambda c: c.args.get("text") == "100 of 100")
            assert [c.args["text"] for c in fake.calls_to("chat.update")] == ["100 of 100"]
            assert fake.messages[card]["text"] == "100 of 100"
        finally:
            await outbox.stop()
            await store.aclose()


def _claimed_long_ago(store: Store, row_id: int) -> None:
    with store.session() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(claimed_at=utcnow() - timedelta(hours=1))
        )
