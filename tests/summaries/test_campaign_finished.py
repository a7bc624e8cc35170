"""Campaign finished (Alohub): one post when no contact is pending or in call, never twice.

The sandbox moves the contacts to processed (its own control); the expected figures are
counted from the sandbox's records, not by the bot's code. The check is the leader's
scheduled work, called here directly instead of waiting for its interval.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

from bot.runtime import Runtime
from bot.store.finishes import FinishStore
from bot.summaries.finished import CHECK_ID
from tests.calls.expected import text_of
from tests.slack.conftest import ADMIN, OPS_CHANNEL, Harness
from tests.summaries.conftest import subscribe

CAMPAIGN = 101


def _finished_posts(harness: Harness) -> list[dict]:
    return [
        c.args
        for c in harness.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == OPS_CHANNEL and "finished" in c.args["text"]
    ]


async def _driven(harness: Harness) -> None:
    """Take the leader's scheduled check off once it is set up: the test drives it alone
    (a scheduled check at the same moment would win the claim: once is once)."""
    runtime = harness.bot.runtime
    deadline = asyncio.get_running_loop().time() + 10
    while not runtime.scheduler.has(CHECK_ID):
        assert asyncio.get_running_loop().time() < deadline, "no campaign-finished check"
        await asyncio.sleep(0.01)
    await runtime.finishes.stop()


async def _subscribe(harness: Harness) -> None:
    reply_to = await harness.command(
        "/calls", f"summary on 08:00 campaign={CAMPAIGN} via=alohub-main", user=ADMIN
    )
    assert reply_to.status == 200
    await harness.fake.wait_for(
        "chat.postMessage",
        predicate=lambda c: c.args.get("channel") == OPS_CHANNEL and "subscribed" in c.args["text"],
    )


async def test_a_finished_campaign_is_posted_once_with_its_totals(harness: Harness):
    runtime = harness.bot.runtime
    await _driven(harness)  # the leader checked on its scheduler (set up just after leading)
    await _subscribe(harness)
    sandbox = harness.sandbox.alohub
    assert any(c.processStatus in (0, 1) for c in sandbox.contacts(CAMPAIGN))
    assert await runtime.finishes.check() == []  # still calling: nothing said
    # Part of the campaign called: still not finished.
    sandbox.process_contacts(CAMPAIGN, count=5, call_status="BUSY")
    assert await runtime.finishes.check() == []
    sandbox.process_contacts(CAMPAIGN, call_status="NO_ANSWER")
    [result] = await runtime.finishes.check()
    assert result.state == "posted" and result.campaign == str(CAMPAIGN)

    contacts = sandbox.contacts(CAMPAIGN)
    statuses = Counter(c.callStatus for c in contacts if c.callStatus)
    [post] = _finished_posts(harness)
    shown = text_of(post["blocks"])
    assert f"Campaign {CAMPAIGN} finished" in shown
    assert f"{len(contacts)} processed, none pending or in call" in shown
    assert f"*✅ Processed*\n{len(contacts):,}" in shown
    for status, count in statuses.items():
        assert f"\n{count:,}" in shown and status in shown, (status, shown)
    silent = sum(1 for c in contacts if not c.callStatus)
    if silent:
        assert f"*No call status*\n{silent:,}" in shown
    assert post["text"].startswith(f"🏁 Campaign {CAMPAIGN} is finished: {len(contacts)} contacts")

    # State before words: the claim was in the database, and is recorded posted.
    [row] = await FinishStore(runtime.store).all()
    assert (row.channel, row.campaign, row.state) == (OPS_CHANNEL, str(CAMPAIGN), "posted")
    assert row.message_ts == result.message_ts and row.processed == len(contacts)

    # Never twice: a later check says nothing.
    assert await runtime.finishes.check() == []
    assert len(_finished_posts(harness)) == 1


async def test_a_restarted_bot_does_not_post_a_finished_campaign_again(
    harness: Harness, second_runtime: Runtime
):
    await _driven(harness)
    await _subscribe(harness)
    harness.sandbox.alohub.process_contacts(CAMPAIGN)
    [first] = await harness.bot.runtime.finishes.check()
    assert first.state == "posted"
    # Another process on the same database (a restart, a new leader) checks: nothing.
    assert await second_runtime.finishes.check() == []
    assert len(_finished_posts(harness)) == 1


async def test_a_campaign_without_contacts_is_not_finished(harness: Harness):
    await _driven(harness)
    reply = await harness.command(
        "/calls", "summary on 08:00 campaign=103 via=alohub-main", user=ADMIN
    )
    assert reply.status == 200
    await harness.fake.wait_for(
        "chat.postMessage", predicate=lambda c: "subscribed" in c.args.get("text", "")
    )
    assert harness.sandbox.alohub.contacts(103) == []
    assert await harness.bot.runtime.finishes.check() == []
    assert _finished_posts(harness) == []


async def test_the_finished_post_is_in_the_channels_language(harness: Harness):
    await _driven(harness)
    await harness.bot.runtime.languages.choose_for_channel(OPS_CHANNEL, "vi", ADMIN)
    since = datetime.now(UTC)
    await subscribe(harness.bot.services, since=since, connection="alohub-main", campaign="101")
    harness.sandbox.alohub.process_contacts(CAMPAIGN)
    [result] = await harness.bot.runtime.finishes.check()
    assert result.state == "posted"
    [post] = [c.args for c in harness.fake.calls_to("chat.postMessage") if "🏁" in c.args["text"]]
    assert post["text"].startswith(f"🏁 Chiến dịch {CAMPAIGN} đã xong: ")
    assert "Thông báo này chỉ gửi một lần" in text_of(post["blocks"])
