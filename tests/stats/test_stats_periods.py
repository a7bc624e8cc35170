"""`/calls` period arguments: bounds in local time, the comparison window, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.stats import MAX_DAYS, BadPeriod, Period, parse_period

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# 2026-11-21 14:30 in Ho Chi Minh City.
NOW = datetime(2026, 11, 21, 7, 30, tzinfo=UTC)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HCM)


def parse(text: str | None, now: datetime = NOW) -> Period:
    return parse_period(text, now=now)


@pytest.mark.parametrize("text", [None, "", "today", "  TODAY ", "Today"])
def test_today_runs_from_local_midnight_to_now(text: str | None) -> None:
    period = parse(text)
    assert period.start == local(2026, 11, 21)
    assert period.end == NOW
    assert period.label == "2026-11-21"
    assert period.days == 1
    # 2026-11-21T00:00+07:00 is 2026-11-20T17:00Z.
    assert period.start_ms == 1_795_194_000_000
    assert period.end_ms == 1_795_194_000_000 + (14 * 3600 + 30 * 60) * 1000


def test_today_previous_is_yesterday_up_to_the_same_time() -> None:
    previous = parse("today").previous()
    assert previous.start == local(2026, 11, 20)
    assert previous.end == local(2026, 11, 20, 14, 30)
    assert previous.label == "2026-11-20"


def test_local_day_starts_before_utc_midnight() -> None:
    # 18:00Z on the 20th is already 01:00 on the 21st in Vietnam.
    period = parse("today", now=datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    assert period.label == "2026-11-21"
    assert period.start.astimezone(UTC) == datetime(2026, 11, 20, 17, 0, tzinfo=UTC)


def test_yesterday_on_new_years_day_is_last_years_last_day() -> None:
    period = parse("yesterday", now=local(2027, 1, 1, 8, 0))
    assert period.label == "2026-12-31"
    assert (period.start, period.end) == (local(2026, 12, 31), local(2027, 1, 1))
    assert period.previous().label == "2026-12-30"


def test_single_day_at_month_end_ends_at_next_months_midnight() -> None:
    period = parse("2026-02-28")
    assert (period.start, period.end) == (local(2026, 2, 28), local(2026, 3, 1))
    assert period.end_ms - period.start_ms == 86_400_000
    assert period.previous().label == "2026-02-27"


def test_leap_day_is_a_day_and_a_missing_day_is_refused() -> None:
    assert parse("2024-02-29").end == local(2024, 3, 1)
    with pytest.raises(BadPeriod) as caught:
        parse("2026-02-29")
    assert caught.value.reason == "date"


def test_seven_days_include_today_and_cross_the_month() -> None:
    period = parse("7d", now=local(2026, 3, 3, 9, 0))
    assert period.label == "2026-02-25..2026-03-03"
    assert period.days == 7
    assert period.start == local(2026, 2, 25)
    assert period.end == local(2026, 3, 3, 9, 0)
    previous = period.previous()
    assert previous.label == "2026-02-18..2026-02-24"
    assert (previous.start, previous.end) == (local(2026, 2, 18), local(2026, 2, 24, 9, 0))


def test_range_is_inclusive_and_previous_is_the_same_length_just_before() -> None:
    period = parse("2026-10-25..2026-11-03")
    assert period.days == 10
    assert (period.start, period.end) == (local(2026, 10, 25), local(2026, 11, 4))
    previous = period.previous()
    assert previous.label == "2026-10-15..2026-10-24"
    assert previous.end == period.start
    assert previous.end_ms - previous.start_ms == period.end_ms - period.start_ms


def test_range_across_the_year_end() -> None:
    period = parse("2025-12-30..2026-01-02")
    assert period.label == "2025-12-30..2026-01-02"
    assert period.previous().label == "2025-12-26..2025-12-29"


def test_one_day_range_is_labelled_as_a_day() -> None:
    assert parse("2026-11-01..2026-11-01").label == "2026-11-01"


def test_range_reaching_into_tomorrow_stops_at_now() -> None:
    period = parse("2026-11-20..2026-11-25")
    assert period.end == NOW
    assert period.last_day.isoformat() == "2026-11-25"


def test_covers_compares_local_timestamps_at_both_bounds() -> None:
    period = parse("2026-11-20")
    assert not period.covers("2026-11-19 23:59:59")
    assert period.covers("2026-11-20 00:00:00")
    assert period.covers("2026-11-20 23:59:59")
    assert not period.covers("2026-11-21 00:00:00")


def test_covers_keeps_a_call_in_the_second_of_now() -> None:
    period = parse("today", now=NOW + timedelta(microseconds=500_000))
    assert period.covers("2026-11-21 14:30:00")
    assert not period.covers("2026-11-21 14:30:01")


def test_other_timezone_by_name_or_object() -> None:
    by_name = parse_period("2026-11-20", now=NOW, timezone="UTC")
    by_object = parse_period("2026-11-20", now=NOW, timezone=UTC)
    assert by_name.start_ms == by_object.start_ms == 1_795_132_800_000


def test_dst_day_is_23_hours_and_previous_keeps_midnight() -> None:
    now = datetime(2026, 4, 1, 12, tzinfo=UTC)
    spring = parse_period("2026-03-29", now=now, timezone="Europe/Berlin")
    assert spring.end_ms - spring.start_ms == 23 * 3_600_000
    after = parse_period("2026-03-30", now=now, timezone="Europe/Berlin").previous()
    assert after.start == spring.start
    assert after.end == spring.end


def test_max_days_is_accepted_one_more_is_not() -> None:
    assert parse(f"{MAX_DAYS}d").days == MAX_DAYS
    with pytest.raises(BadPeriod) as caught:
        parse(f"{MAX_DAYS + 1}d")
    assert caught.value.reason == "too_long"


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_period("today", now=datetime(2026, 11, 21, 14, 30))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("tomorrow", "format"),
        ("2026-11-1", "format"),
        ("21/11/2026", "format"),
        ("2026-11-01...2026-11-02", "format"),
        ("2026-11-01..", "format"),
        ("0d", "format"),
        ("-7d", "format"),
        ("2026-13-01", "date"),
        ("1969-12-31", "date"),
        ("2026-11-05..2026-11-01", "reversed"),
        ("2026-11-22", "future"),
        ("2027-01-01..2027-01-02", "future"),
        ("2026-01-01..2026-11-21", "too_long"),
        ("93d", "too_long"),
    ],
)
def test_bad_period_names_the_reason_and_keeps_the_text(text: str, reason: str) -> None:
    with pytest.raises(BadPeriod) as caught:
        parse(text)
    assert caught.value.reason == reason
    assert caught.value.text == text
    assert isinstance(caught.value, ValueError)
