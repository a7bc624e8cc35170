"""``/calls`` end to end over signed HTTP against the sandbox: every form, both providers.

The numbers in each reply are checked against the sandbox's own records for the period
(``sb.aicallcenter.calls``) and, on Alohub, against its contacts' ``processStatus``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import commands.calls
from bot.calls import Pace
from tests.calls.expected import (
    between,
    expect,
    figures,
    hour_lines,
    pct_change,
    text_of,
)
from tests.slack.conftest import AICC_CHANNEL, STRANGER, Harness

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _today() -> date:
    return datetime.now(TZ).date()


def _midnight_ms(day: date) -> int:
    return int(datetime.combine(day, datetime.min.time(), tzinfo=TZ).timestamp() * 1000)


async def _stats(harness: Harness, text: str, first: date, last: date, **kwargs: Any) -> str:
    """Run ``/calls text`` and check its numbers against the sandbox; returns the text."""
    reply = await harness.reply("/calls", text, **kwargs)
    assert reply["response_type"] == "ephemeral"
    shown = text_of(reply["blocks"])
    records = between(harness.sandbox.aicallcenter.calls, first, last)
    campaign = text.split("campaign=")[1].split()[0] if "campaign=" in text else None
    expected = expect(records, campaign)
    if not expected.total:  # "today" just after local midnight
        assert "No calls in this period." in shown
        return shown
    for figure in figures(expected):
        assert figure in shown
    assert {h: n for h, n in hour_lines(shown).items() if n} == dict(expected.hours)
    for note, count in expected.notes.most_common(3):
        assert f"({note}) — {count:,}" in shown  # in words, the raw code kept
    for key, count in expected.keys.items():
        assert f"`{key}` {count:,}" in shown
    for campaign_id, count in expected.campaigns.items():
        answered = expected.campaign_answered[campaign_id]
        assert f"• `{campaign_id}` — total {count:,} · answered {answered:,}" in shown
    return shown


@pytest.mark.parametrize("text", ["", "today"])
async def test_calls_today_shows_the_sandbox_numbers_of_today(harness: Harness, text: str):
    shown = await _stats(harness, text, _today(), _today())
    assert "Calls · " + _today().isoformat() in shown


async def test_calls_yesterday_shows_its_numbers_and_the_change_against_the_day_before(
    harness: Harness,
):
    yesterday = _today() - timedelta(days=1)
    shown = await _stats(harness, "yesterday", yesterday, yesterday)
    calls = harness.sandbox.aicallcenter.calls
    now = expect(between(calls, yesterday, yesterday))
    before = expect(between(calls, yesterday - timedelta(days=1), yesterday - timedelta(days=1)))
    assert f"*Calls*\n{now.total:,}   {pct_change(now.total, before.total)}" in shown
    assert f"*Answered*\n{now.answered:,}   {pct_change(now.answered, before.answered)}" in shown
    assert f"compared with {(yesterday - timedelta(days=1)).isoformat()}" in shown


async def test_calls_for_one_date_asks_the_call_log_for_that_local_day_in_epoch_ms(
    harness: Harness,
):
    day = _today() - timedelta(days=3)
    await _stats(harness, day.isoformat(), day, day)
    asked = [r for r in harness.sandbox.requests("aicallcenter") if r.path == "/api/users/call-log"]
    first = asked[0].query
    assert int(first["start_time"]) == _midnight_ms(day)
    assert int(first["end_time"]) == _midnight_ms(day + timedelta(days=1)) - 1
    assert {r.query["limit"] for r in asked} == {"500"}


async def test_calls_for_a_date_range_adds_up_every_day_of_it(harness: Harness):
    first, last = _today() - timedelta(days=6), _today() - timedelta(days=4)
    shown = await _stats(harness, f"{first}..{last}", first, last)
    assert "3 days together" in shown


async def test_calls_7d_covers_today_and_the_six_days_before_in_pages_of_500(harness: Harness):
    await _stats(harness, "7d", _today() - timedelta(days=6), _today())
    log = [r for r in harness.sandbox.requests("aicallcenter") if r.path == "/api/users/call-log"]
    offsets = [int(r.query["offset"]) for r in log]
    assert 0 in offsets and 500 in offsets and 1000 in offsets


async def test_calls_with_a_campaign_reads_that_campaigns_export(harness: Harness):
    yesterday = _today() - timedelta(days=1)
    shown = await _stats(harness, "yesterday campaign=cmp-hn-01", yesterday, yesterday)
    assert "campaign cmp-hn-01" in shown
    paths = {r.path for r in harness.sandbox.requests("aicallcenter")}
    assert "/api/campaigns/cmp-hn-01/export" in paths and "/api/users/call-log" not in paths


async def test_calls_via_names_the_connection_in_a_channel_bound_to_it(harness: Harness):
    yesterday = _today() - timedelta(days=1)
    shown = await _stats(harness, "yesterday via=aicc", yesterday, yesterday, channel=AICC_CHANNEL)
    assert "`aicc`" in shown


async def test_calls_on_alohub_counts_the_campaigns_contacts_by_process_status(
    harness: Harness,
):
    reply = await harness.reply("/calls", "campaign=101 via=alohub-main")
    shown = text_of(reply["blocks"])
    contacts = harness.sandbox.alohub.contacts(101)
    status = Counter(c.processStatus for c in contacts)
    total = len(contacts)
    assert f"*Contacts*\n{total:,}" in shown
    assert f"*✅ Processed*\n{status[2]:,} ({status[2] * 100 / total:.1f}%)" in shown
    assert f"*⏳ Pending*\n{status[0]:,}" in shown
    assert f"*📞 In call*\n{status[1]:,}" in shown
    for item in harness.sandbox.alohub.campaigns[101].lists:
        counts = Counter(c.processStatus for c in item.contacts)
        assert (
            f" · #{item.listId} — total {len(item.contacts):,} · ⏳ {counts[0]:,} · "
            f"📞 {counts[1]:,} · ✅ {counts[2]:,}"
        ) in shown
    results = Counter(c.callStatus for c in contacts if c.callStatus)
    for name, count in results.items():
        assert f"({name}) {count:,}" in shown


async def test_calls_on_alohub_without_a_campaign_asks_for_one(harness: Harness):
    reply = await harness.reply("/calls", "via=alohub-main")
    assert "add `campaign=&lt;id&gt;`" in reply["text"] and "alohub-main" in reply["text"]
    assert "Usage: `/calls" in reply["text"]


async def test_calls_on_a_provider_without_call_records_names_the_providers_that_have_them(
    harness: Harness,
):
    reply = await harness.reply("/calls", "via=vbee")
    assert "`vbee` (vbee) cannot show call statistics or campaign progress" in reply["text"]
    assert "aicallcenter, alohub" in reply["text"]


async def test_calls_with_a_mistyped_period_answers_the_usage_and_asks_nothing(harness: Harness):
    before = len(harness.sandbox.requests("aicallcenter"))
    reply = await harness.reply("/calls", "lastweek")
    assert "`lastweek` is not a period" in reply["text"]
    assert "Usage: `/calls [today|yesterday" in reply["text"] and "Example:" in reply["text"]
    assert len(harness.sandbox.requests("aicallcenter")) == before


async def test_calls_for_a_future_date_says_there_are_no_calls_yet(harness: Harness):
    reply = await harness.reply("/calls", (_today() + timedelta(days=2)).isoformat())
    assert "is in the future" in reply["text"]


async def test_calls_by_a_stranger_is_refused(harness: Harness):
    reply = await harness.reply("/calls", "yesterday", user=STRANGER)
    assert "not on the operators list" in reply["text"]


async def test_a_long_fetch_shows_progress_then_the_result_replaces_it(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(commands.calls, "PACE", Pace(delay=0.0, every=0.0, limit=3))
    ack = await harness.command("/calls", "7d")
    tag = ack.response_url.rsplit("/", 1)[-1]
    final = await harness.fake.wait_for(
        "response_url", predicate=lambda c: c.tag == tag and bool(c.args.get("blocks"))
    )
    posts = harness.fake.responses(tag)
    progress = [c.args for c in posts if not c.args.get("blocks")]
    assert len(progress) == 3 and len(posts) == 4  # Slack allows five uses of a response_url
    assert progress[0]["text"].startswith("⏳ Fetched 500 of ")
    assert progress[0]["replace_original"] is False
    assert all(p["replace_original"] is True for p in progress[1:])
    assert final.args["replace_original"] is True and final.args["response_type"] == "ephemeral"
