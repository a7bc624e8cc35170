"""``/calls export`` and ``/contact list … export`` end to end over signed HTTP.

The uploaded CSV (recorded by the fake Slack) is read back and compared with the
sandbox's own records: the calls of the period (``between`` over
``sb.aicallcenter.calls``, a plain reading independent of the bot) and a list's contacts.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import commands.calls
from bot.calls import Pace
from bot.providers.aicallcenter import AICallCenterClient
from tests.calls.expected import between
from tests.jobs.e2e import running_bot
from tests.slack.conftest import AICC_CHANNEL, STRANGER, Harness, is_progress

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BOM = b"\xef\xbb\xbf"
EN_HEADER = [
    "Time",
    "Call ID",
    "Campaign",
    "Caller number",
    "Called number",
    "Talk time (s)",
    "Result",
    "State code",
    "Keys pressed (second)",
    "Hangup code",
]
WORDS = {
    "en": {40: "answered", 50: "not answered"},
    "vi": {40: "nghe máy", 50: "không nghe máy"},
}


def _today(tz: ZoneInfo = VN) -> date:
    return datetime.now(tz).date()


def _csv(content: bytes) -> list[list[str]]:
    assert content.startswith(BOM), content[:10]
    return list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8"), newline="")))


def _expected_calls(
    records: Iterable[dict[str, Any]], language: str = "en", tz: ZoneInfo = VN
) -> list[list[str]]:
    rows = []
    for r in records:
        stamp = datetime.strptime(r["called_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=VN)
        rows.append(
            [
                stamp.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                str(r["call_id"]),
                str(r["campaign_id"]),
                r["caller_id"],
                r["callee_id"],
                str(r["duration"]),
                WORDS[language][r["state"]],
                str(r["state"]),
                r["key_press"],
                r["note"],
            ]
        )
    return sorted(rows, key=lambda row: int(row[1]))


async def _export(h: Harness, text: str, **kwargs: Any) -> tuple[str, dict[str, Any]]:
    reply = await h.reply("/calls", f"export {text}", **kwargs)
    assert reply["response_type"] == "ephemeral"
    [upload] = h.fake.uploaded_files
    return reply["text"], dict(upload)


async def test_calls_export_7d_uploads_every_call_of_the_period_as_a_bom_csv(harness: Harness):
    today = _today()
    text, upload = await _export(harness, "7d", channel=AICC_CHANNEL)
    expected = _expected_calls(
        between(harness.sandbox.aicallcenter.calls, today - timedelta(6), today)
    )
    assert len(expected) > 500  # several provider pages
    assert f"✅ {len(expected):,} calls exported" in text
    assert "posted in this channel" in text
    rows = _csv(upload["content"])
    assert rows[0] == EN_HEADER
    assert sorted(rows[1:], key=lambda row: int(row[1])) == expected
    first = (today - timedelta(6)).isoformat()
    assert upload["filename"] == f"calls-aicc-{first}_{today.isoformat()}.csv"
    assert upload["channel_id"] == AICC_CHANNEL
    assert f"exported {len(expected):,} calls" in (upload["initial_comment"] or "")


async def test_calls_export_of_one_campaign_has_only_its_calls(harness: Harness):
    yesterday = _today() - timedelta(days=1)
    records = between(harness.sandbox.aicallcenter.calls, yesterday, yesterday)
    campaign = str(records[0]["campaign_id"])
    mine = [r for r in records if str(r["campaign_id"]) == campaign]
    assert 0 < len(mine) < len(records)
    text, upload = await _export(harness, f"yesterday campaign={campaign}", channel=AICC_CHANNEL)
    assert f"✅ {len(mine):,} calls exported" in text
    assert sorted(_csv(upload["content"])[1:], key=lambda r: int(r[1])) == _expected_calls(mine)
    assert upload["filename"].endswith(f"-{campaign}.csv")
    sent = [r for r in harness.sandbox.aicallcenter.requests if "/export" in r.path]
    assert sent and all(f"/campaigns/{campaign}/export" in r.path for r in sent)


async def test_calls_export_in_vietnamese_with_local_times_of_another_zone(
    sandbox: Any, tmp_path: Path
):
    tokyo = ZoneInfo("Asia/Tokyo")  # two hours ahead of the provider's Vietnam time
    async with running_bot(sandbox, tmp_path, language="vi", timezone="Asia/Tokyo") as h:
        text, upload = await _export(h, "yesterday", channel=AICC_CHANNEL)
    yesterday = _today(tokyo) - timedelta(days=1)
    records = [
        r
        for r in sandbox.aicallcenter.calls
        if datetime.strptime(r["called_at"], "%Y-%m-%d %H:%M:%S")
        .replace(tzinfo=VN)
        .astimezone(tokyo)
        .date()
        == yesterday
    ]
    expected = _expected_calls(records, "vi", tokyo)
    rows = _csv(upload["content"])
    assert rows[0][:3] == ["Thời điểm", "Mã cuộc gọi", "Chiến dịch"]
    assert sorted(rows[1:], key=lambda row: int(row[1])) == expected
    assert "nghe máy" in {row[6] for row in rows[1:]}
    said = re.search(r"Đã xuất ([\d.,\s]+) cuộc gọi", text)
    assert said and re.sub(r"\D", "", said.group(1)) == str(len(expected)), text


async def test_contact_list_export_has_every_contact_of_every_page(harness: Harness):
    contact_list = harness.sandbox.alohub.campaigns[101].lists[0]  # 150 contacts: 2 pages
    reply = await harness.reply("/contact", f"list campaign=101 list={contact_list.listId} export")
    assert f"✅ {len(contact_list.contacts)} contacts exported" in reply["text"]
    [upload] = harness.fake.uploaded_files
    rows = _csv(upload["content"])
    assert rows[0] == [
        "Contact ID",
        "Customer ID",
        "Phone",
        "Name",
        "Status",
        "Status code",
        "Call result",
    ]
    status = {0: "waiting to be called", 1: "in a call", 2: "called"}
    expected = [
        [
            str(c.contactId),
            str(c.customerId),
            c.phoneNumber,
            c.name or "",
            status[c.processStatus],
            str(c.processStatus),
            c.callStatus or "",
        ]
        for c in contact_list.contacts
    ]
    assert rows[1:] == expected
    # The rows above are equal, so Vietnamese names ("Nguyễn Thị …") came through intact.
    assert any(not (c.name or "").isascii() for c in contact_list.contacts)
    assert upload["filename"] == f"contacts-alohub-main-101-{contact_list.listId}.csv"


async def test_a_provider_failure_mid_export_says_so_and_posts_no_file(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    original = AICallCenterClient.call_log_page
    faults = harness.sandbox.faults("aicallcenter")

    async def first_page_then_broken(self: AICallCenterClient, *args: Any, **kwargs: Any) -> Any:
        page = await original(self, *args, **kwargs)
        faults.malformed = True  # every later page answers an HTML error body
        return page

    monkeypatch.setattr(AICallCenterClient, "call_log_page", first_page_then_broken)
    reply = await harness.reply("/calls", "export 7d", channel=AICC_CHANNEL)
    assert "The export stopped after 500 of " in reply["text"]
    assert "no file was posted" in reply["text"]
    assert harness.fake.uploaded_files == []
    assert harness.fake.calls_to("files.getUploadURLExternal") == []
    assert not any(p.name.startswith("callops-calls-") for p in os.scandir(tmp_path))


async def test_an_empty_period_exports_nothing_and_says_so(harness: Harness):
    reply = await harness.reply("/calls", "export 2020-01-01", channel=AICC_CHANNEL)
    assert "there is nothing to export" in reply["text"]
    assert harness.fake.uploaded_files == []


async def test_calls_export_by_a_stranger_is_refused(harness: Harness):
    reply = await harness.reply("/calls", "export 7d", user=STRANGER, channel=AICC_CHANNEL)
    assert "not on the operators list" in reply["text"]
    assert harness.fake.uploaded_files == []


async def test_a_long_export_shows_the_fetch_progress_of_calls(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(commands.calls, "PACE", Pace(delay=0.0, every=0.0, limit=3))
    reply = await harness.reply("/calls", "export 7d", channel=AICC_CHANNEL)
    assert "calls exported" in reply["text"]
    tag = harness.fake.calls_to("response_url")[0].tag
    progress = [c.args["text"] for c in harness.fake.responses(tag) if is_progress(c.args)]
    assert progress and progress[0].startswith("⏳ Fetched 500 of ")


# --- The audit of a failed export ------------------------------------------------------------


async def _last_audit(h: Harness, command: str) -> Any:
    entries = await h.bot.services.store.audit_entries()
    return next(e for e in entries if e.command.startswith(command))


async def test_an_export_stopped_by_the_provider_is_audited_as_a_provider_error(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
):
    faults = harness.sandbox.faults("aicallcenter")
    faults.malformed = True
    reply = await harness.reply("/calls", "export 7d", channel=AICC_CHANNEL)
    assert "no file was posted" in reply["text"]
    await harness.bot.services.drain()
    entry = await _last_audit(harness, "/calls export")
    assert entry.outcome == "provider_error", entry.outcome
    assert entry.detail


async def test_an_export_slack_would_not_take_is_audited_as_an_error(harness: Harness):
    harness.fake.fail_next("files.getUploadURLExternal", "internal_error", times=10)
    reply = await harness.reply("/calls", "export 7d", channel=AICC_CHANNEL)
    assert harness.fake.uploaded_files == []
    await harness.bot.services.drain()
    entry = await _last_audit(harness, "/calls export")
    assert entry.outcome == "error", (entry.outcome, reply["text"])
    assert entry.detail


async def test_a_list_export_stopped_by_the_provider_is_audited_as_a_provider_error(
    harness: Harness,
):
    contact_list = harness.sandbox.alohub.campaigns[101].lists[0]
    harness.sandbox.faults("alohub").malformed = True
    reply = await harness.reply("/contact", f"list campaign=101 list={contact_list.listId} export")
    await harness.bot.services.drain()
    entry = await _last_audit(harness, "/contact list")
    assert entry.outcome == "provider_error", (entry.outcome, reply["text"])


async def test_a_successful_export_is_audited_ok(harness: Harness):
    await _export(harness, "7d", channel=AICC_CHANNEL)
    await harness.bot.services.drain()
    assert (await _last_audit(harness, "/calls export")).outcome == "ok"
