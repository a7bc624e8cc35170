"""Local times of day for daily summaries: parse ``HH:MM``, place it on a date."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

__all__ = ["DAYS", "DEFAULT_AT", "next_time", "parse_at", "scheduled_at", "split_at"]

DEFAULT_AT = "08:00"
DAYS = ("yesterday", "today")
_AT_RE = re.compile(r"([01]?\d|2[0-3])[:h.]([0-5]\d)", re.ASCII)


def parse_at(text: str) -> str | None:
    """``8:00``, ``08:00``, ``8h30`` → ``08:00`` / ``08:30``; None when it is no time of day."""
    match = _AT_RE.fullmatch(text.strip().lower())
    return f"{int(match[1]):02d}:{match[2]}" if match else None


def split_at(at: str) -> tuple[int, int]:
    """``HH:MM`` as (hour, minute)."""
    hour, _, minute = at.partition(":")
    return int(hour), int(minute)


def scheduled_at(at: str, day: date, tz: tzinfo) -> datetime:
    """``HH:MM`` local on ``day``, as an aware datetime."""
    hour, minute = split_at(at)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def next_time(at: str, now: datetime, tz: tzinfo) -> datetime:
    """The first ``HH:MM`` local strictly after ``now``."""
    local = now.astimezone(tz)
    moment = scheduled_at(at, local.date(), tz)
    return moment if moment > local else scheduled_at(at, local.date() + timedelta(days=1), tz)
