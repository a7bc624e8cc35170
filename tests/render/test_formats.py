"""Numbers and dates as each language writes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.render import formats


@pytest.mark.parametrize(
    ("call", "en", "vi"),
    [
        (lambda lang: formats.number(lang, 1234), "1,234", "1.234"),
        (lambda lang: formats.number(lang, 999), "999", "999"),
        (lambda lang: formats.decimal(lang, 1234.5), "1,234.5", "1.234,5"),
        (lambda lang: formats.percent(lang, 0.682), "68.2%", "68,2%"),
        (lambda lang: formats.percent(lang, None), "—", "—"),
        (lambda lang: formats.size(lang, 10 * 1024 * 1024), "10 MB", "10 MB"),
        (lambda lang: formats.size(lang, 1536 * 1024), "1.5 MB", "1,5 MB"),
        (lambda lang: formats.day(lang, date(2026, 12, 6)), "2026-12-06", "06/12/2026"),
        (
            lambda lang: formats.moment(lang, datetime(2026, 12, 6, 14, 5)),
            "2026-12-06 14:05",
            "06/12/2026 14:05",
        ),
        (
            lambda lang: formats.days_label(lang, datetime(2026, 11, 30), 7),
            "2026-11-30 – 2026-12-06",
            "30/11/2026 – 06/12/2026",
        ),
    ],
)
def test_each_language_writes_numbers_and_dates_its_own_way(call, en, vi):
    assert (call("en"), call("vi")) == (en, vi)
