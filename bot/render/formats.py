"""Numbers, sizes and dates as the user's language writes them: the one helper every renderer uses.

| | English | Vietnamese |
|---|---|---|
| integer | ``1,234`` | ``1.234`` |
| decimal | ``1,234.5`` | ``1.234,5`` |
| date | ``2026-12-06`` (ISO) | ``06/12/2026`` |
| date and time | ``2026-12-06 14:05`` | ``06/12/2026 14:05`` |

English dates are ISO: the bot's English readers work in Vietnam, where ``06/12`` reads as
6 December and ``12/06`` as 12 June; ISO cannot be misread either way, and it is what
``/calls 2026-12-01..2026-12-06`` takes. A tiny helper rather than Babel: the bot speaks
exactly two languages whose separators and date patterns are fixed by the product, so
CLDR's data (some 30 MB installed) would serve two lines of rules, and only named months
would need it; numeric dates need none.

Every function takes the ``Messages`` of the reply (or a language code) first.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol

__all__ = [
    "date_range",
    "day",
    "days_label",
    "decimal",
    "moment",
    "number",
    "percent",
    "size",
]


class _HasLanguage(Protocol):
    @property
    def language(self) -> str: ...


Lang = _HasLanguage | str

_DATE = {"en": "%Y-%m-%d", "vi": "%d/%m/%Y"}
_SWAP = str.maketrans(",.", ".,")


def _language(lang: Lang) -> str:
    return lang if isinstance(lang, str) else lang.language


def _localize(text: str, language: str) -> str:
    """English-formatted digits (``1,234.5``) with the language's separators."""
    if language == "vi":
        return text.translate(_SWAP)
    return text


def number(lang: Lang, value: int) -> str:
    """An integer with thousands grouped: ``1,234`` / ``1.234``."""
    return _localize(f"{value:,}", _language(lang))


def decimal(lang: Lang, value: float, digits: int = 1) -> str:
    """A decimal number: ``1,234.5`` / ``1.234,5``."""
    return _localize(f"{value:,.{digits}f}", _language(lang))


def percent(lang: Lang, ratio: float | None) -> str:
    """0.682 → ``68.2%`` / ``68,2%``; None → ``—``."""
    return "—" if ratio is None else decimal(lang, ratio * 100) + "%"


def size(lang: Lang, nbytes: int) -> str:
    """A file size: ``10 MB``, ``1.5 MB`` / ``1,5 MB``, ``512 KB``."""
    if nbytes >= 1024 * 1024:
        value, unit = nbytes / (1024 * 1024), "MB"
    else:
        value, unit = nbytes / 1024, "KB"
    digits = 0 if value >= 10 or value == int(value) else 1
    return f"{decimal(lang, value, digits)} {unit}"


def day(lang: Lang, value: date) -> str:
    """A calendar day: ``2026-12-06`` / ``06/12/2026``."""
    return value.strftime(_DATE[_language(lang)])


def moment(lang: Lang, value: datetime) -> str:
    """A local date and time to the minute: ``2026-12-06 14:05`` / ``06/12/2026 14:05``."""
    return f"{day(lang, value)} {value:%H:%M}"


def date_range(lang: Lang, first: date, last: date) -> str:
    """One day, or ``first – last`` inclusive."""
    if first == last:
        return day(lang, first)
    return f"{day(lang, first)} – {day(lang, last)}"


def days_label(lang: Lang, start: datetime, days: int) -> str:
    """The calendar days of a period of ``days`` days from ``start`` (a ``/calls`` period)."""
    first = start.date()
    return date_range(lang, first, first + timedelta(days=days - 1))
