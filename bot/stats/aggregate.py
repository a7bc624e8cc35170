"""Streaming statistics over AICallCenter call records: counters only, never the records."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

__all__ = [
    "ANSWERED",
    "FAILED",
    "CallLike",
    "CallStats",
    "CampaignRow",
    "Comparison",
    "compare",
    "parse_key_press",
]

ANSWERED = 40
FAILED = 50
TOP_NOTES = 5
# Notes, keys and campaign ids come from the provider; a cap keeps memory bounded even if
# one of them turns out to be free text. Real data has a few dozen of each.
MAX_DISTINCT = 1000
_HOURS = {f"{hour:02d}": hour for hour in range(24)}
# "1 (29)": the number in brackets is the second the key was pressed at.
_PRESS_TIME_RE = re.compile(r"\([^)]*\)?")
_KEY_CACHE: dict[str, tuple[str, ...]] = {}
# Campaign ids arrive as ints; their text form, made once each.
_CAMPAIGN_KEYS: dict[object, str] = {}
_KEY_CACHE_SIZE = 4096
# Per record type: whether `campaign_id` may be read as an attribute. Pydantic models
# without such a field answer a miss through a slow Python `__getattr__`, so skip it.
_CAMPAIGN_ATTR: dict[type, bool] = {}
_K = TypeVar("_K")


class CallLike(Protocol):
    """What the aggregator reads from a call record (AICallCenter `Call`)."""

    @property
    def called_at(self) -> str: ...
    @property
    def duration(self) -> int: ...
    @property
    def key_press(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def state(self) -> int: ...


@dataclass(frozen=True, slots=True)
class CampaignRow:
    """Totals of one campaign; ``campaign_id`` is None when the record did not say."""

    campaign_id: str | None
    total: int
    answered: int
    failed: int
    talk_seconds: int

    @property
    def answer_rate(self) -> float | None:
        """Answered / total, None without calls."""
        return self.answered / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class Comparison:
    """Change from a previous period: percent, or percentage points for the answer rate."""

    total_pct: float | None
    answered_pct: float | None
    answer_rate_pp: float | None
    talk_seconds_pct: float | None


class CallStats:
    """Accumulates call records one at a time; memory depends on distinct labels only."""

    __slots__ = (
        "_campaigns",
        "answered",
        "failed",
        "hour_answered",
        "hour_failed",
        "hour_total",
        "key_press_calls",
        "key_presses",
        "notes",
        "other_states",
        "talk_seconds",
        "total",
        "unparsable",
    )

    def __init__(self) -> None:
        self.total = 0
        self.answered = 0
        self.failed = 0
        self.talk_seconds = 0
        self.unparsable = 0
        self.key_press_calls = 0
        self.other_states: dict[object, int] = {}
        self.hour_total = [0] * 24
        self.hour_answered = [0] * 24
        self.hour_failed = [0] * 24
        self.notes: dict[str, int] = {}
        self.key_presses: dict[str, int] = {}
        # campaign id -> [total, answered, failed, talk_seconds]
        self._campaigns: dict[str | None, list[int]] = {}

    def add(self, call: CallLike, campaign_id: object = None) -> None:
        """Count one record; ``campaign_id`` overrides the record's own campaign id."""
        self.add_all((call,), campaign_id)

    def add_all(self, calls: Iterable[CallLike], campaign_id: object = None) -> CallStats:
        """Count every record of ``calls``; ``campaign_id`` overrides theirs. Returns self."""
        # One loop with the counters in locals: a page of 500 records costs half of what
        # 500 separate calls would (attribute look-ups and calls are most of the work).
        total = answered = failed = talk_seconds = unparsable = key_press_calls = 0
        other, notes, counts = self.other_states, self.notes, self.key_presses
        hour_total, hour_answered, hour_failed = (
            self.hour_total,
            self.hour_answered,
            self.hour_failed,
        )
        campaigns, hours, key_cache = self._campaigns, _HOURS, _KEY_CACHE
        campaign_keys = _CAMPAIGN_KEYS
        for call in calls:
            total += 1
            state = call.state
            if state == ANSWERED:
                answered += 1
                talk = call.duration
                if talk.__class__ is not int:
                    talk = _seconds(talk)
                talk_seconds += talk
            elif state == FAILED:
                failed += 1
                talk = 0
            else:
                other[state] = other.get(state, 0) + 1
                talk = 0

            # Cheap shape check instead of datetime parsing: "YYYY-MM-DD HH:MM:SS".
            stamp = call.called_at
            hour = (
                hours.get(stamp[11:13])
                if stamp.__class__ is str
                and len(stamp) == 19
                and stamp[4] == "-"
                and stamp[10] == " "
                and stamp[13] == ":"
                else None
            )
            if hour is None:
                unparsable += 1
            else:
                hour_total[hour] += 1
                if state == ANSWERED:
                    hour_answered[hour] += 1
                elif state == FAILED:
                    hour_failed[hour] += 1

            note = call.note
            if note:
                if note in notes:
                    notes[note] += 1
                elif len(notes) < MAX_DISTINCT:
                    notes[note] = 1

            pressed = call.key_press
            if pressed:
                keys = key_cache.get(pressed)
                if keys is None:
                    keys = parse_key_press(str(pressed))
                    if len(key_cache) < _KEY_CACHE_SIZE:
                        key_cache[pressed] = keys
                if keys:
                    key_press_calls += 1
                    for key in keys:
                        if key in counts:
                            counts[key] += 1
                        elif len(counts) < MAX_DISTINCT:
                            counts[key] = 1

            raw = campaign_id
            if raw is None:
                # Call-log records carry their campaign as an unknown (extra) key.
                extra = getattr(call, "__pydantic_extra__", None)
                raw = extra.get("campaign_id") if extra else None
                if raw is None:
                    raw = _campaign_of(call)
            if raw is None or raw.__class__ is str:
                campaign = raw
            else:
                campaign = campaign_keys.get(raw)
                if campaign is None:
                    campaign = str(raw)
                    if len(campaign_keys) < MAX_DISTINCT:
                        campaign_keys[raw] = campaign
            row = campaigns.get(campaign)
            if row is None:
                if len(campaigns) >= MAX_DISTINCT:
                    campaign = None
                    row = campaigns.get(None)
                if row is None:
                    row = campaigns[campaign] = [0, 0, 0, 0]
            row[0] += 1
            if state == ANSWERED:
                row[1] += 1
                row[3] += talk
            elif state == FAILED:
                row[2] += 1
        self.total += total
        self.answered += answered
        self.failed += failed
        self.talk_seconds += talk_seconds
        self.unparsable += unparsable
        self.key_press_calls += key_press_calls
        return self

    def merge(self, other: CallStats) -> CallStats:
        """A new accumulator holding both; neither input changes."""
        merged = CallStats()
        for part in (self, other):
            merged.total += part.total
            merged.answered += part.answered
            merged.failed += part.failed
            merged.talk_seconds += part.talk_seconds
            merged.unparsable += part.unparsable
            merged.key_press_calls += part.key_press_calls
            for hour in range(24):
                merged.hour_total[hour] += part.hour_total[hour]
                merged.hour_answered[hour] += part.hour_answered[hour]
                merged.hour_failed[hour] += part.hour_failed[hour]
            _fold(merged.other_states, part.other_states)
            _fold(merged.notes, part.notes, MAX_DISTINCT)
            _fold(merged.key_presses, part.key_presses, MAX_DISTINCT)
            for campaign, counts in part._campaigns.items():
                row = merged._campaigns.setdefault(campaign, [0, 0, 0, 0])
                for index, value in enumerate(counts):
                    row[index] += value
        return merged

    @property
    def other(self) -> int:
        """Records whose state is neither answered nor failed."""
        return self.total - self.answered - self.failed

    @property
    def answer_rate(self) -> float | None:
        """Answered / total, None without calls."""
        return self.answered / self.total if self.total else None

    @property
    def average_talk_seconds(self) -> float | None:
        """Mean talk time of answered calls, None without any."""
        return self.talk_seconds / self.answered if self.answered else None

    @property
    def busiest_hour(self) -> int | None:
        """Local hour (0–23) with the most calls, the earliest on a tie; None without any."""
        peak = max(self.hour_total)
        return self.hour_total.index(peak) if peak else None

    def top_notes(self, limit: int = TOP_NOTES) -> list[tuple[str, int]]:
        """Most frequent hangup notes, first seen first on a tie."""
        # sorted() is stable and dicts keep insertion order: ties stay in first-seen order.
        return sorted(self.notes.items(), key=lambda item: -item[1])[:limit]

    def key_press_counts(self) -> list[tuple[str, int]]:
        """Calls in which each key was pressed, most pressed first."""
        return sorted(self.key_presses.items(), key=lambda item: -item[1])

    def campaigns(self) -> list[CampaignRow]:
        """One row per campaign id, by total descending then id; unknown last."""
        rows = [
            CampaignRow(campaign, total, answered, failed, talk)
            for campaign, (total, answered, failed, talk) in self._campaigns.items()
        ]
        rows.sort(key=lambda row: (row.campaign_id is None, -row.total, row.campaign_id or ""))
        return rows


def compare(current: CallStats, previous: CallStats) -> Comparison:
    """Change of ``current`` against ``previous``; None where the previous value is 0."""
    current_rate, previous_rate = current.answer_rate, previous.answer_rate
    return Comparison(
        total_pct=_pct(current.total, previous.total),
        answered_pct=_pct(current.answered, previous.answered),
        answer_rate_pp=(
            None
            if current_rate is None or previous_rate is None
            else (current_rate - previous_rate) * 100
        ),
        talk_seconds_pct=_pct(current.talk_seconds, previous.talk_seconds),
    )


def parse_key_press(text: str) -> tuple[str, ...]:
    """Keys of a ``key_press`` value such as ``"1 (29), 2 (31)"``, each once, in order."""
    return tuple(dict.fromkeys(_PRESS_TIME_RE.sub(" ", text).replace(",", " ").split()))


def _pct(current: int, previous: int) -> float | None:
    return (current - previous) * 100 / previous if previous else None


def _seconds(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]  # tolerate "12" or 12.0; junk is 0
    except (TypeError, ValueError):
        return 0


def _campaign_of(call: object) -> object:
    cls = type(call)
    readable = _CAMPAIGN_ATTR.get(cls)
    if readable is None:
        fields = getattr(cls, "model_fields", None)
        readable = _CAMPAIGN_ATTR[cls] = not isinstance(fields, dict) or "campaign_id" in fields
    if readable:
        value = getattr(call, "campaign_id", None)
        if value is not None:
            return value
    # pydantic keeps unknown keys in ``__pydantic_extra__``; ``model_extra`` is a property
    # over it, three times slower per record.
    extra = getattr(call, "__pydantic_extra__", None)
    return extra.get("campaign_id") if extra.__class__ is dict else None


def _fold(into: dict[_K, int], counts: dict[_K, int], limit: int | None = None) -> None:
    for key, value in counts.items():
        if key in into:
            into[key] += value
        elif limit is None or len(into) < limit:
            into[key] = value
