"""``/calls summary on|off`` and ``/calls summary`` end to end: rows, triggers, who may."""

from __future__ import annotations

from datetime import datetime

from bot.store.summaries import SummaryStore
from bot.summaries.service import job_id
from tests.slack.conftest import ADMIN, OPS_CHANNEL, Harness


def _store(harness: Harness) -> SummaryStore:
    return SummaryStore(harness.bot.services.store)


async def _posted(harness: Harness, words: str) -> dict:
    call = await harness.fake.wait_for(
        "chat.postMessage",
        predicate=lambda c: c.args.get("channel") == OPS_CHANNEL and words in c.args["text"],
    )
    return call.args


async def test_summary_on_saves_the_subscription_and_schedules_it_at_local_hh_mm(
    harness: Harness,
):
    ack = await harness.command("/calls", "summary on 8:30 campaign=cmp-hn-01", user=ADMIN)
    assert ack.status == 200
    posted = await _posted(harness, "subscribed this channel")
    assert "*08:30* (Asia/Ho_Chi_Minh)" in posted["text"] and "`aicc`" in posted["text"]
    row = await _store(harness).for_channel(OPS_CHANNEL)
    assert row is not None
    assert (row.at, row.day, row.campaign, row.connection) == (
        "08:30",
        "yesterday",
        "cmp-hn-01",
        "aicc",
    )
    next_run = harness.bot.runtime.scheduler.next_run(job_id(row.id))
    assert next_run is not None and next_run.strftime("%H:%M %z") == "08:30 +0700"
    assert next_run > datetime.now(next_run.tzinfo)


async def test_summary_on_again_changes_the_same_subscription(harness: Harness):
    await harness.command("/calls", "summary on", user=ADMIN)
    await _posted(harness, "subscribed")
    first = await _store(harness).for_channel(OPS_CHANNEL)
    await harness.command("/calls", "summary on 17:45 day=today", user=ADMIN)
    await _posted(harness, "changed this channel's daily summary")
    second = await _store(harness).for_channel(OPS_CHANNEL)
    assert first is not None and second is not None and first.id == second.id
    assert (first.at, second.at, second.day) == ("08:00", "17:45", "today")
    next_run = harness.bot.runtime.scheduler.next_run(job_id(second.id))
    assert next_run is not None and next_run.strftime("%H:%M") == "17:45"


async def test_summary_on_alohub_needs_a_campaign(harness: Harness):
    reply = await harness.reply("/calls", "summary on via=alohub-main", user=ADMIN)
    assert "add `campaign=&lt;id&gt;`" in reply["text"]
    assert await _store(harness).for_channel(OPS_CHANNEL) is None


async def test_summary_on_with_a_bad_time_answers_the_usage(harness: Harness):
    reply = await harness.reply("/calls", "summary on 25:00", user=ADMIN)
    assert "`25:00` is not a time of day" in reply["text"]
    assert "Usage: `/calls summary on" in reply["text"]
    assert await _store(harness).for_channel(OPS_CHANNEL) is None


async def test_summary_on_by_an_operator_is_refused_naming_the_admins(harness: Harness):
    reply = await harness.reply("/calls", "summary on 08:00")
    assert "Only admins" in reply["text"] and ADMIN in reply["text"]
    assert await _store(harness).for_channel(OPS_CHANNEL) is None


async def test_summary_shows_the_subscription_to_an_operator(harness: Harness):
    await harness.command("/calls", "summary on 07:15 campaign=cmp-otp-02", user=ADMIN)
    await _posted(harness, "subscribed")
    reply = await harness.reply("/calls", "summary")
    text = (
        "\n".join(b["text"]["text"] for b in reply["blocks"] if "text" in b)
        + "\n"
        + "\n".join(e["text"] for b in reply["blocks"] for e in b.get("elements", []))
    )
    assert "Every day at *07:15* (Asia/Ho_Chi_Minh)" in text
    assert "yesterday's calls, campaign cmp-otp-02 from `aicc`" in text
    assert "Next post: " in text and "07:15" in text and "Not posted yet." in text


async def test_summary_without_a_subscription_says_how_to_start_one(harness: Harness):
    reply = await harness.reply("/calls", "summary")
    assert "no daily summary" in reply["text"] and "/calls summary on" in reply["text"]


async def test_summary_off_deletes_the_subscription_and_its_trigger(harness: Harness):
    await harness.command("/calls", "summary on", user=ADMIN)
    await _posted(harness, "subscribed")
    row = await _store(harness).for_channel(OPS_CHANNEL)
    assert row is not None and harness.bot.runtime.scheduler.has(job_id(row.id))
    await harness.command("/calls", "summary off", user=ADMIN)
    await _posted(harness, "turned off")
    assert await _store(harness).for_channel(OPS_CHANNEL) is None
    assert not harness.bot.runtime.scheduler.has(job_id(row.id))


async def test_summary_on_is_copied_to_the_audit_channel(harness: Harness):
    await harness.command("/calls", "summary on 09:00", user=ADMIN)
    call = await harness.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args.get("channel") == "C0AUDIT"
    )
    assert "/calls summary on 09:00" in call.args["text"]
