"""The live App Home end to end: signed ``app_home_opened``, ``views.publish`` at the fake Slack.

The expected figures are counted from the sandbox's own records (a plain loop over its
dicts, ``tests.calls.expected``), never by the bot's aggregation.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.home import OpenAlert
from bot.messages import Messages
from tests.calls.expected import Expected, expect, pct_change, text_of
from tests.jobs.data import contact_list
from tests.jobs.e2e import confirm, eventually, finished_job, import_file, job_in, running_bot
from tests.slack.conftest import (
    ADMIN,
    AICC_CHANNEL,
    OPERATOR,
    OPS_CHANNEL,
    STRANGER,
    Harness,
)
from tests.slack.home import ack_buttons, open_home, press_on_home

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _now() -> datetime:
    """A whole second: the windows' ends are then exact in the records' second stamps."""
    return datetime.now(TZ).replace(microsecond=0)


def _until(records: list[dict[str, Any]], day: datetime, end: datetime) -> Expected:
    """The records of ``day``'s local date called before ``end``'s time of day."""
    date, stamp = day.strftime("%Y-%m-%d"), end.strftime("%H:%M:%S")
    return expect(r for r in records if r["called_at"][:10] == date and r["called_at"][11:] < stamp)


def _pp_change(today: Expected, yesterday: Expected) -> str:
    points = (today.answered / today.total - yesterday.answered / yesterday.total) * 100
    if round(points, 1) == 0:
        return f"= {abs(points):.1f} pp"
    return f"{'▲' if points > 0 else '▼'} {abs(points):.1f} pp"


def _call_log_requests(harness: Harness) -> int:
    return sum(
        1 for r in harness.sandbox.requests("aicallcenter") if r.path == "/api/users/call-log"
    )


async def test_home_shows_todays_calls_against_yesterday_at_this_hour(harness: Harness):
    now = _now()
    harness.bot.runtime.home.clock = lambda: now
    harness.fake.join(ADMIN, AICC_CHANNEL)  # bound to aicc only
    view = await open_home(harness, ADMIN)
    shown = text_of(view["blocks"])

    records = harness.sandbox.aicallcenter.calls
    today = _until(records, now, now)
    yesterday = _until(records, now - timedelta(days=1), now)
    assert today.total and yesterday.total, "the sandbox has calls today and yesterday"
    assert f"*`aicc`* · today until {now:%H:%M}" in shown
    assert f"*Calls*\n{today.total:,} {pct_change(today.total, yesterday.total)}" in shown
    assert f"*Answer rate*\n{today.rate} {_pp_change(today, yesterday)}" in shown
    assert "alohub-main" not in shown  # not bound to the user's channel
    assert "No import of yours is running" in shown and "No open alert." in shown

    # Opened again within the minute: the same figures, no new provider request.
    fetched = _call_log_requests(harness)
    assert fetched >= 2  # today and yesterday
    again = await open_home(harness, ADMIN)
    assert text_of(again["blocks"]) == shown
    assert _call_log_requests(harness) == fetched


async def test_home_lists_the_users_other_connections_of_their_channels(harness: Harness):
    harness.fake.join(OPERATOR, OPS_CHANNEL)  # bound to every connection
    shown = text_of((await open_home(harness, OPERATOR))["blocks"])
    assert "*`aicc`* · today until" in shown
    assert "Also yours: `alohub-main`, `vbee`, `crm`." in shown


async def test_home_of_a_user_in_no_bound_channel_and_of_a_stranger(harness: Harness):
    lonely = text_of((await open_home(harness, OPERATOR))["blocks"])
    assert "you are in none of callops' channels" in lonely and f"<@{ADMIN}>" in lonely
    harness.fake.join(STRANGER, OPS_CHANNEL)
    stranger = text_of((await open_home(harness, STRANGER))["blocks"])
    assert "You are not on the operators list" in stranger and "*Calls*" not in stranger


async def test_home_says_when_slack_does_not_tell_the_users_channels(harness: Harness):
    harness.fake.fail_next("users.conversations", "missing_scope")
    shown = text_of((await open_home(harness, ADMIN))["blocks"])
    assert "I could not see which channels you are in" in shown and "channels:read" in shown
    assert "No open alert." not in shown  # not known, so not said


async def test_home_says_when_a_providers_calls_cannot_be_read(harness: Harness):
    harness.fake.join(ADMIN, AICC_CHANNEL)
    harness.sandbox.faults("aicallcenter").error_ratio = 1.0
    shown = text_of((await open_home(harness, ADMIN))["blocks"])
    assert "`aicc`: I could not read today's calls." in shown
    assert "Traceback" not in shown


class _Alerts:
    """An alert source with ``count`` open alerts in every channel asked about."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.asked: list[Collection[str]] = []
        self.acknowledged: list[tuple[str, str, str]] = []

    async def open_alerts(self, channels: Collection[str], msg: Messages) -> Sequence[OpenAlert]:
        self.asked.append(channels)
        done = {(channel, key) for channel, key, _ in self.acknowledged}
        return [
            OpenAlert(channel, f"answer rate 31.0% < 40% (alert {n})", str(n))
            for channel in sorted(channels)
            for n in range(self.count)
            if (channel, str(n)) not in done
        ]

    async def acknowledge(self, channel: str, key: str, user: str) -> None:
        self.acknowledged.append((channel, key, user))


async def test_home_shows_open_alerts_with_acknowledge_and_keeps_to_100_blocks(harness: Harness):
    alerts = _Alerts(150)
    harness.bot.runtime.home.alerts = alerts
    harness.fake.join(ADMIN, AICC_CHANNEL)
    view = await open_home(harness, ADMIN)
    assert alerts.asked == [frozenset({AICC_CHANNEL})]
    blocks = view["blocks"]
    assert len(blocks) == 100
    shown = text_of(blocks)
    first = next(b for b in blocks if "alert 0)" in json.dumps(b))
    assert first["text"]["text"] == f"<#{AICC_CHANNEL}> · answer rate 31.0% ‹ 40% (alert 0)"
    button = first["accessory"]
    assert button["text"]["text"] == "Acknowledge"
    assert json.loads(button["value"]) == {"channel": AICC_CHANNEL, "id": "0"}
    [cut] = [b for b in blocks if "more lines are not shown" in json.dumps(b)]
    omitted = int(cut["elements"][0]["text"].split(" more lines")[0].lstrip("… ").replace(",", ""))
    assert len(ack_buttons(blocks)) + omitted == 150
    assert "Slack shows at most 100 blocks on Home" in shown


async def test_acknowledge_on_home_records_the_user_and_republishes(harness: Harness):
    alerts = _Alerts(2)
    harness.bot.runtime.home.alerts = alerts
    harness.fake.join(OPERATOR, AICC_CHANNEL)
    await open_home(harness, OPERATOR)
    after = await press_on_home(harness, OPERATOR, {"channel": AICC_CHANNEL, "id": "1"})
    assert alerts.acknowledged == [(AICC_CHANNEL, "1", OPERATOR)]
    shown = text_of(after["blocks"])
    assert f"You acknowledged the alert in <#{AICC_CHANNEL}>" in shown
    assert [json.loads(b["value"])["id"] for b in ack_buttons(after["blocks"])] == ["0"]


async def test_acknowledge_on_home_of_a_channel_the_user_is_not_in_is_refused(harness: Harness):
    alerts = _Alerts(1)
    harness.bot.runtime.home.alerts = alerts
    harness.fake.join(OPERATOR, AICC_CHANNEL)
    await open_home(harness, OPERATOR)
    forged = await press_on_home(harness, OPERATOR, {"channel": OPS_CHANNEL, "id": "0"})
    assert alerts.acknowledged == []
    assert f"That alert belongs to <#{OPS_CHANNEL}>, which you are not in" in text_of(
        forged["blocks"]
    )


async def test_home_shows_running_imports_and_refreshes_when_one_ends(sandbox: Any, tmp_path: Any):
    sandbox.faults("vbee").latency = 0.3  # every batch takes a while
    content, _ = contact_list(200, seed=14)
    async with running_bot(sandbox, tmp_path, batch_sizes={"vbee": 20}) as h:
        await confirm(h, await import_file(h, "vbee", content))
        store = h.bot.services.store
        await eventually(lambda: job_in(store, 1, "running"), what="the job running")
        running = text_of((await open_home(h, OPERATOR))["blocks"])
        assert "*J1* · " in running and "`vbee`" in running and "of 200 rows" in running
        assert "░" in running or "▓" in running  # the progress bar

        sandbox.faults("vbee").latency = 0.0
        job = await finished_job(h)
        # The job's end publishes its creator's Home again, without the user opening it.
        after = await eventually(
            lambda: [
                c
                for c in h.fake.calls_to("views.publish")
                if c.args["user_id"] == OPERATOR
                and "No import of yours is running" in json.dumps(c.args["view"])
            ],
            what="Home published after the job ended",
        )
        assert job.state == "done" and "*J1*" not in text_of(after[-1].args["view"]["blocks"])


async def test_home_is_in_the_users_own_language(harness: Harness):
    await harness.bot.runtime.languages.choose_for_user(OPERATOR, "vi")
    harness.fake.join(OPERATOR, AICC_CHANNEL)
    shown = text_of((await open_home(harness, OPERATOR))["blocks"])
    assert "*Cuộc gọi hôm nay*" in shown and "*Tỉ lệ nghe máy*" in shown
    assert "Bạn không có lượt nhập nào đang chạy" in shown
