"""The `/calls` period argument: which local days a statistic covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

__all__ = ["DEFAULT_TIMEZONE", "MAX_DAYS", "BadPeriod", "Period", "parse_period"]

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
MAX_DAYS = 92
# Earlier dates predate every provider record and would overflow `date` arithmetic.
_MIN_DATE = date(1970, 1, 1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
_DATE = r"\d{4}-\d{2}-\d{2}"
_DAY_RE = re.compile(rf"({_DATE})", re.ASCII)
_RANGE_RE = re.compile(rf"({_DATE})\.\.({_DATE})", re.ASCII)
_LAST_DAYS_RE = re.compile(r"(\d{1,4})d", re.ASCII)


class BadPeriod(ValueError):
    """A period argument that cannot be used; ``reason`` says why, ``text`` is what was typed.

    Outside ``bot.errors`` on purpose: a verdict of this parser, which the ``/calls``
    command turns into a ``UserInputError`` with the catalog key and the limit it names.

    Reasons: ``format`` (not one of the accepted forms), ``date`` (well formed but no
    such day, or before 1970), ``reversed`` (range ends before it starts), ``future``
    (starts after today), ``too_long`` (more than ``MAX_DAYS`` days).
    """

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{reason}: {text!r}")


@dataclass(frozen=True, slots=True)
class Period:
    """Half-open local interval [start, end) covering ``days`` calendar days."""

    start: datetime
    end: datetime
    label: str
    days: int = 1

    @property
    def start_ms(self) -> int:
        """Start as epoch milliseconds, the unit the provider API takes."""
        return (self.start - _EPOCH) // _MS

    @property
    def end_ms(self) -> int:
        """End (exclusive) as epoch milliseconds."""
        return (self.end - _EPOCH) // _MS

    @property
    def first_day(self) -> date:
        """The first local day of the period."""
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last local day of the period, even when the end was clipped to now."""
        return self.first_day + timedelta(days=self.days - 1)

    def covers(self, called_at: str) -> bool:
        """Whether a local "YYYY-MM-DD HH:MM:SS" timestamp falls inside the period."""
        # Ceil the end to a whole second so a call in the clipped "now" second is kept.
        end = self.end
        if end.microsecond:
            end = end.replace(microsecond=0) + timedelta(seconds=1)
        return _stamp(self.start) <= called_at < _stamp(end)

    def previous(self) -> Period:
        """The same window ``days`` days earlier, for the ▲/▼ comparison."""
        tz = self.start.tzinfo
        assert tz is not None
        shift = timedelta(days=self.days)
        # Shift wall-clock times, then re-attach the zone, so a DST change keeps midnight.
        start = _local(self.start.replace(tzinfo=None) - shift, tz)
        end = _local(self.end.replace(tzinfo=None) - shift, tz)
        first = start.date()
        return Period(start, end, _label(first, first + timedelta(days=self.days - 1)), self.days)


def parse_period(
    text: str | None = None,
    *,
    now: datetime | None = None,
    timezone: str | tzinfo = DEFAULT_TIMEZONE,
) -> Period:
    """Parse ``today``, ``yesterday``, ``Nd``, ``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD``."""
    tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    local_now = now.astimezone(tz)
    today = local_now.date()
    raw = (text or "").strip()
    word = raw.lower()

    if word in ("", "today"):
        first = last = today
    elif word == "yesterday":
        first = last = today - timedelta(days=1)
    elif match := _LAST_DAYS_RE.fullmatch(word):
        count = int(match.group(1))
        if count == 0:
            raise BadPeriod(raw, "format")
        if count > MAX_DAYS:
            raise BadPeriod(raw, "too_long")
        first, last = today - timedelta(days=count - 1), today
    elif match := _DAY_RE.fullmatch(word):
        first = last = _date(match.group(1), raw)
    elif match := _RANGE_RE.fullmatch(word):
        first, last = _date(match.group(1), raw), _date(match.group(2), raw)
        if last < first:
            raise BadPeriod(raw, "reversed")
    else:
        raise BadPeriod(raw, "format")

    if first > today:
        raise BadPeriod(raw, "future")
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise BadPeriod(raw, "too_long")
    start = _local(datetime.combine(first, datetime.min.time()), tz)
    end = _local(datetime.combine(last + timedelta(days=1), datetime.min.time()), tz)
    # Statistics for a day still running stop at now, and so does their comparison window.
    end = min(end, local_now)
    return Period(start, end, _label(first, last), days)


def _date(value: str, raw: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise BadPeriod(raw, "date") from exc
    if day < _MIN_DATE:
        raise BadPeriod(raw, "date")
    return day


def _local(naive: datetime, tz: tzinfo) -> datetime:
    # Round-trip through UTC so a wall time inside a DST gap lands on a real instant.
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def _label(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")
