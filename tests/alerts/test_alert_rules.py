"""Rules as typed, and how one check moves a rule (pure: no bot, no clock)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.alerts.rules import (
    METRICS,
    Condition,
    parse_condition,
    parse_min_calls,
    parse_window,
    recovery_point,
    step,
)
from bot.errors import UserInputError

RATE = Condition(METRICS["answer_rate"], "<", 40.0)
COUNT = Condition(METRICS["failed"], ">", 50.0)


@pytest.mark.parametrize(
    ("words", "text"),
    [
        (["answer_rate<40%"], "answer_rate<40%"),
        (["answer_rate", "<", "40"], "answer_rate<40%"),
        (["ANSWER_RATE&lt;37.5%"], "answer_rate<37.5%"),
        (["answer_rate>95,5%"], "answer_rate>95.5%"),
        (["failed>50"], "failed>50"),
        (["failed&gt;0"], "failed>0"),
        (["failed<1"], "failed<1"),
    ],
)
def test_conditions_read_as_typed(words: list[str], text: str):
    assert parse_condition(words).text == text


@pytest.mark.parametrize(
    ("words", "key"),
    [
        ([], "alerts.bad.missing"),
        (["answer_rate"], "alerts.bad.condition"),
        (["answer_rate<=40%"], "alerts.bad.condition"),
        (["answer_rate<-5%"], "alerts.bad.condition"),
        (["calls_answered<40"], "alerts.bad.metric"),
        (["answer_rate<100%"], "alerts.bad.percent"),
        (["answer_rate>0%"], "alerts.bad.percent"),
        (["failed>50%"], "alerts.bad.count_percent"),
        (["failed>5.5"], "alerts.bad.count"),
        (["failed<0"], "alerts.bad.count"),
    ],
)
def test_bad_conditions_say_why(words: list[str], key: str):
    with pytest.raises(UserInputError) as refused:
        parse_condition(words)
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("text", "minutes"),
    [(None, 60), ("5m", 5), ("30", 30), ("2h", 120), ("1h30m", 90), ("24h", 1440), ("45min", 45)],
)
def test_windows(text: str | None, minutes: int):
    assert parse_window(text) == minutes


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("4m", "alerts.bad.window_range"),
        ("1441", "alerts.bad.window_range"),
        ("25h", "alerts.bad.window_range"),
        ("0m", "alerts.bad.window_range"),
        ("", "alerts.bad.window"),
        ("h", "alerts.bad.window"),
        ("1d", "alerts.bad.window"),
        ("-5m", "alerts.bad.window"),
    ],
)
def test_bad_windows(text: str, key: str):
    with pytest.raises(UserInputError) as refused:
        parse_window(text)
    assert refused.value.key == key


def test_min_calls():
    assert parse_min_calls(None) == 30 and parse_min_calls("1") == 1
    for bad in ("0", "-1", "x", "1.5", "²"):
        with pytest.raises(UserInputError):
            parse_min_calls(bad)


def test_margins():
    assert recovery_point(RATE) == 45.0
    assert recovery_point(COUNT) == 45.0
    assert recovery_point(Condition(METRICS["answer_rate"], ">", 90.0)) == 85.0
    assert recovery_point(Condition(METRICS["failed"], "<", 10.0)) == 11.0


def test_two_bad_checks_fire_then_margin_recovers():
    state = "ok"
    seen = []
    for value in (30, 30, 30, 42, 44.9, 45, 30):
        outcome = step(state, RATE, value, calls=100, min_calls=30)
        state = outcome.state
        seen.append((state, outcome.event))
    assert seen == [
        ("pending", None),
        ("firing", "fired"),
        ("firing", None),
        ("firing", None),
        ("firing", None),
        ("ok", "recovered"),
        ("pending", None),
    ]


def test_a_good_check_between_bad_ones_means_no_alert():
    state = "ok"
    for value in (30, 41, 30, 41, 30):
        outcome = step(state, RATE, value, calls=100, min_calls=30)
        assert outcome.event is None
        state = outcome.state
    assert state == "pending"


def test_too_few_calls_decide_nothing():
    assert step("pending", RATE, 0, calls=29, min_calls=30).state == "ok"
    assert step("firing", RATE, 100, calls=0, min_calls=30).state == "firing"
    assert step("ok", RATE, 0, calls=29, min_calls=30).event is None


@given(st.lists(st.tuples(st.floats(0, 100), st.integers(0, 200)), max_size=40))
def test_never_fired_twice_without_a_recovery_between(checks: list[tuple[float, int]]):
    state, events = "ok", []
    for value, calls in checks:
        outcome = step(state, RATE, value, calls=calls, min_calls=30)
        state = outcome.state
        if outcome.event:
            events.append(outcome.event)
    assert all(a != b for a, b in itertools.pairwise(events))
    assert not events or events[0] == "fired"
