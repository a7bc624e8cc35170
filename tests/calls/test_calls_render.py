"""Rendering statistics and progress: pure data in, Block Kit out, in both languages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from bot.messages import Messages
from bot.render.calls import (
    calls_blocks,
    change,
    change_pp,
    decimal,
    duration,
    hour_chart,
    number,
    percent,
    progress_blocks,
)
from bot.stats import CallStats, CampaignProgress
from tests.calls.expected import text_of

EN, VI = Messages("en"), Messages("vi")


@dataclass
class Rec:
    called_at: str
    state: int = 40
    duration: int = 60
    key_press: str = ""
    note: str = ""
    campaign_id: int | None = None


def stats(*records: Rec) -> CallStats:
    return CallStats().add_all(records)


@pytest.mark.parametrize(
    ("msg", "value", "text"),
    [(EN, 12000, "12,000"), (VI, 12000, "12.000"), (EN, 7, "7"), (VI, 1234567, "1.234.567")],
)
def test_numbers_are_grouped_the_way_the_language_writes_them(msg, value, text):
    assert number(msg, value) == text


def one_period(
    day: CallStats, *, previous_label: str = "p", days: int = 1, timezone: str = "tz"
) -> list[dict[str, Any]]:
    """The reply for ``day`` against an empty previous period."""
    return calls_blocks(
        EN,
        title="t",
        connection="aicc",
        current=day,
        before=CallStats(),
        previous_label=previous_label,
        days=days,
        timezone=timezone,
    )


def test_decimals_and_percentages_use_the_languages_decimal_mark():
    assert decimal(EN, 1234.56) == "1,234.6" and decimal(VI, 1234.56) == "1.234,6"
    assert percent(EN, 0.6825) == "68.2%" and percent(VI, 0.6825) == "68,2%"
    assert percent(EN, None) == "—"


@pytest.mark.parametrize(
    ("pct", "text"),
    [(12.54, "▲ 12.5%"), (-3.0, "▼ 3.0%"), (0.01, "= 0.0%"), (None, "")],
)
def test_a_change_shows_its_direction_and_size(pct, text):
    assert change(EN, pct) == text


def test_an_answer_rate_change_is_in_percentage_points():
    assert change_pp(EN, -1.23) == "▼ 1.2 pp" and change_pp(VI, 2.0) == "▲ 2,0 điểm %"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(45, "45 s"), (155, "2 min 35 s"), (188_000, "52 h 13 min"), (None, "—")],
)
def test_durations_read_in_hours_minutes_or_seconds(seconds, text):
    assert duration(EN, seconds) == text


def test_the_hour_chart_spans_the_busy_hours_with_answered_and_unanswered_parts():
    day = stats(
        *[Rec("2026-04-20 08:10:00") for _ in range(4)],
        *[Rec("2026-04-20 08:20:00", state=50) for _ in range(4)],
        Rec("2026-04-20 10:00:00", state=50),
    )
    lines = hour_chart(EN, day, width=8).splitlines()
    assert lines == ["08 ████░░░░ 8", "09          0", "10 ░        1"]


def test_an_empty_period_says_so_and_still_names_the_previous_one():
    before = stats(Rec("2026-04-19 09:00:00"))
    blocks = calls_blocks(
        EN,
        title="📞 Calls · 2026-04-20",
        connection="aicc",
        current=CallStats(),
        before=before,
        previous_label="2026-04-19",
        days=1,
        timezone="Asia/Ho_Chi_Minh",
    )
    text = text_of(blocks)
    assert "No calls in this period." in text
    assert "Calls 2026-04-19: 1 in all, 1 answered (100.0%)." in text


def test_an_all_failed_day_has_a_zero_answer_rate_and_no_talk_time():
    day = stats(*[Rec("2026-04-20 09:00:00", state=50, note="USER BUSY") for _ in range(3)])
    text = text_of(one_period(day, previous_label="2026-04-19", timezone="Asia/Ho_Chi_Minh"))
    assert "*Answer rate*\n0.0%" in text and "*Talk time*\n0 s" in text
    assert "*Average talk*\n—" in text and "• line busy (USER BUSY) — 3" in text
    assert "The previous period (2026-04-19) had no calls" in text


def test_provider_text_cannot_inject_mrkdwn_links_or_mentions():
    day = stats(Rec("2026-04-20 09:00:00", note="<!channel> & <http://x|y>"))
    text = json.dumps(one_period(day), ensure_ascii=False)
    assert "<!channel>" not in text and "‹!channel› &amp; ‹http://x|y›" in text


def test_many_campaigns_are_cut_with_a_count_of_the_rest():
    day = stats(*[Rec("2026-04-20 09:00:00", campaign_id=n) for n in range(40)])
    text = text_of(one_period(day))
    assert text.count("• `") == 15 and "… and 25 more campaigns" in text


def test_a_period_over_several_days_titles_the_chart_per_hour_of_day():
    day = stats(Rec("2026-04-20 09:00:00"))
    text = text_of(one_period(day, days=7))
    assert "Calls per hour of day, 7 days together" in text


def test_progress_shows_totals_per_list_and_call_results_in_vietnamese():
    progress = CampaignProgress()
    progress.add_all(
        [{"processStatus": 2, "callStatus": "ANSWERED"}, {"processStatus": 0}],
        list_id=501,
        list_name="Danh sách tháng 4",
    )
    progress.for_list(502, "Trống")
    text = text_of(progress_blocks(VI, title="📋", connection="alohub-main", progress=progress))
    assert "*Liên hệ*\n2" in text and "*✅ Đã xử lý*\n1 (50,0%)" in text
    assert "*Danh sách tháng 4* · #501 — tổng 2 · ⏳ 1 · 📞 0 · ✅ 1" in text
    assert "*Trống* · #502 — tổng 0" in text and "đã nghe máy (ANSWERED) 1" in text


def test_a_campaign_without_lists_says_so():
    text = text_of(
        progress_blocks(EN, title="📋", connection="alohub-main", progress=CampaignProgress())
    )
    assert "has no contact lists yet" in text
