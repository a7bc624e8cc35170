"""Call statistics from hand-made records whose answers are known."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.stats import CallStats, CampaignRow, Comparison, compare, parse_key_press
from bot.stats.aggregate import MAX_DISTINCT

Make = Callable[..., Any]


def stats_of(*calls: Any) -> CallStats:
    return CallStats().add_all(calls)


def test_empty_day_has_counts_of_zero_and_no_rates() -> None:
    stats = CallStats()
    assert (stats.total, stats.answered, stats.failed, stats.other) == (0, 0, 0, 0)
    assert stats.answer_rate is None
    assert stats.average_talk_seconds is None
    assert stats.busiest_hour is None
    assert stats.top_notes() == []
    assert stats.key_press_counts() == []
    assert stats.campaigns() == []
    assert stats.hour_total == [0] * 24


def test_all_failed_day_has_zero_rate_and_no_average_talk(call: Make) -> None:
    stats = stats_of(
        call("2026-11-21 09:10:00", state=50, note="USER_BUSY"),
        call("2026-11-21 09:20:00", state=50, note="NO_ANSWER"),
        call("2026-11-21 15:00:00", state=50, note="USER_BUSY"),
    )
    assert (stats.total, stats.answered, stats.failed) == (3, 0, 3)
    assert stats.answer_rate == 0.0
    assert stats.talk_seconds == 0
    assert stats.average_talk_seconds is None
    assert stats.hour_failed[9] == 2 and stats.hour_failed[15] == 1
    assert stats.hour_answered == [0] * 24
    assert stats.busiest_hour == 9


def test_mixed_day_totals_rates_and_talk_time(call: Make) -> None:
    stats = stats_of(
        call("2026-11-21 08:00:01", state=40, duration=60),
        call("2026-11-21 08:30:00", state=40, duration=30),
        call("2026-11-21 08:59:59", state=50),
        call("2026-11-21 14:00:00", state=40, duration=90),
        call("2026-11-21 14:00:00", state=30),
    )
    assert (stats.total, stats.answered, stats.failed, stats.other) == (5, 3, 1, 1)
    assert stats.other_states == {30: 1}
    assert stats.answer_rate == pytest.approx(0.6)
    assert stats.talk_seconds == 180
    assert stats.average_talk_seconds == 60
    assert stats.hour_total[8] == 3 and stats.hour_total[14] == 2
    assert stats.hour_answered[8] == 2 and stats.hour_failed[8] == 1
    assert stats.busiest_hour == 8


def test_failed_call_duration_is_not_talk_time(call: Make) -> None:
    stats = stats_of(call(state=50, duration=25), call(state=40, duration=10))
    assert stats.talk_seconds == 10


def test_busiest_hour_tie_goes_to_the_earliest(call: Make) -> None:
    stats = stats_of(call("2026-11-21 17:00:00"), call("2026-11-21 07:00:00"))
    assert stats.busiest_hour == 7


def test_calls_either_side_of_local_midnight_land_in_hours_23_and_0(call: Make) -> None:
    stats = stats_of(
        call("2026-11-20 23:59:59", state=40, duration=5),
        call("2026-11-21 00:00:00", state=50),
    )
    assert stats.hour_answered[23] == 1
    assert stats.hour_failed[0] == 1


@pytest.mark.parametrize(
    "called_at",
    [
        "",
        "2026-11-21T10:00:00",
        "2026-11-21 24:00:00",
        "2026-11-21 1:00:00",
        "21/11/2026 10:00:00",
        "2026-11-21 10:00:00.123",
        None,
        1795194000,
    ],
)
def test_bad_called_at_is_counted_not_raised(call: Make, called_at: Any) -> None:
    stats = stats_of(call(called_at, state=40, duration=12), call("2026-11-21 10:00:00"))
    assert stats.unparsable == 1
    assert stats.total == 2 and stats.answered == 2
    assert stats.talk_seconds == 12
    assert sum(stats.hour_total) + stats.unparsable == stats.total


def test_odd_durations_are_tolerated(call: Make) -> None:
    stats = stats_of(
        call(state=40, duration="45"), call(state=40, duration=None), call(state=40, duration=2.0)
    )
    assert stats.talk_seconds == 47


def test_unknown_provider_fields_are_ignored_and_campaign_id_read_from_extra(
    api_call: Make,
) -> None:
    stats = stats_of(
        api_call(state=40, duration=20, campaign_id=12, recording_url="https://x", agent=None),
        api_call(state=50, campaign_id="12", hangup_side="callee"),
        api_call(state=40, duration=5, campaign_id="7"),
        api_call(state=50),
    )
    assert stats.campaigns() == [
        CampaignRow("12", total=2, answered=1, failed=1, talk_seconds=20),
        CampaignRow("7", total=1, answered=1, failed=0, talk_seconds=5),
        CampaignRow(None, total=1, answered=0, failed=1, talk_seconds=0),
    ]
    assert stats.campaigns()[0].answer_rate == 0.5


def test_campaign_id_attribute_and_explicit_override(call: Make) -> None:
    with_attribute = call(state=40)
    with_attribute.campaign_id = 99
    stats = CallStats()
    stats.add(with_attribute)
    stats.add(call(state=40), campaign_id="exported")
    stats.add(with_attribute, campaign_id="exported")
    assert [(row.campaign_id, row.total) for row in stats.campaigns()] == [
        ("exported", 2),
        ("99", 1),
    ]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("", ()),
        ("1 (29)", ("1",)),
        ("1 (29), 2 (31)", ("1", "2")),
        ("1 (29), 1 (35)", ("1",)),
        ("1(29)2(31)", ("1", "2")),
        ("* (3),# (4)", ("*", "#")),
        ("9", ("9",)),
        ("  ", ()),
        ("(12)", ()),
    ],
)
def test_parse_key_press(text: str, keys: tuple[str, ...]) -> None:
    assert parse_key_press(text) == keys


def test_key_press_counts_calls_per_key(call: Make) -> None:
    stats = stats_of(
        call(key_press="1 (29)"),
        call(key_press="1 (12), 2 (31)"),
        call(key_press="2 (8), 2 (9)"),
        call(key_press=""),
        call(key_press="1 (29)"),
    )
    assert stats.key_press_counts() == [("1", 3), ("2", 2)]
    assert stats.key_press_calls == 4


def test_top_notes_keep_first_seen_order_on_ties(call: Make) -> None:
    notes = ["B", "A", "C", "A", "D", "E", "F", "B", "", "G"]
    stats = stats_of(*(call(note=note) for note in notes))
    assert stats.top_notes() == [("B", 2), ("A", 2), ("C", 1), ("D", 1), ("E", 1)]
    assert stats.top_notes(limit=1) == [("B", 2)]


def test_memory_is_bounded_by_distinct_labels_not_calls(call: Make) -> None:
    stats = CallStats()
    for index in range(MAX_DISTINCT + 50):
        stats.add(call(note=f"note {index}", key_press=f"k{index} (1)"), campaign_id=index)
    assert len(stats.notes) == MAX_DISTINCT
    assert len(stats.key_presses) == MAX_DISTINCT
    rows = stats.campaigns()
    assert len(rows) == MAX_DISTINCT + 1
    assert rows[-1].campaign_id is None and rows[-1].total == 50


def test_merge_equals_counting_everything_once(call: Make, api_call: Make) -> None:
    first_half = [
        call("2026-11-21 08:00:00", state=40, duration=30, note="A", key_press="1 (3)"),
        call("bad", state=50, note="B"),
    ]
    second_half = [
        api_call("2026-11-21 08:10:00", state=40, duration=10, note="B", campaign_id="c"),
        api_call("2026-11-21 20:00:00", state=30, key_press="2 (4)"),
    ]
    left, right = stats_of(*first_half), stats_of(*second_half)
    merged = left.merge(right)
    whole = stats_of(*first_half, *second_half)
    for name in CallStats.__slots__:
        assert getattr(merged, name) == getattr(whole, name), name
    assert left.total == 2 and right.total == 2


def test_compare_gives_percent_and_points() -> None:
    current, previous = CallStats(), CallStats()
    current.total, current.answered, current.talk_seconds = 120, 30, 900
    previous.total, previous.answered, previous.talk_seconds = 100, 40, 600
    change = compare(current, previous)
    assert change.total_pct == pytest.approx(20.0)
    assert change.answered_pct == pytest.approx(-25.0)
    assert change.answer_rate_pp == pytest.approx(25.0 - 40.0)
    assert change.talk_seconds_pct == pytest.approx(50.0)


def test_compare_with_zero_previous_has_no_change(call: Make) -> None:
    current = stats_of(call(state=40, duration=10))
    assert compare(current, CallStats()) == Comparison(None, None, None, None)


def test_compare_with_previous_calls_but_none_answered(call: Make) -> None:
    current = stats_of(call(state=40, duration=10), call(state=50))
    previous = stats_of(call(state=50))
    change = compare(current, previous)
    assert change.total_pct == pytest.approx(100.0)
    assert change.answered_pct is None
    assert change.answer_rate_pp == pytest.approx(50.0)
    assert change.talk_seconds_pct is None
