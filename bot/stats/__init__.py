"""Call statistics for `/calls` and the daily summary: periods, counters, progress, chart.

Pure code: it takes records and dates and returns numbers, dates and PNG bytes. It
knows nothing of Slack, HTTP, the database or the message catalog.
"""

from typing import TYPE_CHECKING

from bot.stats.aggregate import (
    ANSWERED,
    FAILED,
    CallLike,
    CallStats,
    CampaignRow,
    Comparison,
    compare,
    parse_key_press,
)
from bot.stats.periods import DEFAULT_TIMEZONE, MAX_DAYS, BadPeriod, Period, parse_period
from bot.stats.progress import IN_CALL, PENDING, PROCESSED, CampaignProgress, ListProgress

if TYPE_CHECKING:
    from bot.stats.chart import ChartLabels, calls_per_hour_png

__all__ = [
    "ANSWERED",
    "DEFAULT_TIMEZONE",
    "FAILED",
    "IN_CALL",
    "MAX_DAYS",
    "PENDING",
    "PROCESSED",
    "BadPeriod",
    "CallLike",
    "CallStats",
    "CampaignProgress",
    "CampaignRow",
    "ChartLabels",
    "Comparison",
    "ListProgress",
    "Period",
    "calls_per_hour_png",
    "compare",
    "parse_key_press",
    "parse_period",
]


def __getattr__(name: str) -> object:
    # matplotlib takes most of a second to import; only the chart's callers should pay it.
    if name in ("ChartLabels", "calls_per_hour_png"):
        from bot.stats import chart

        return getattr(chart, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
