"""Call statistics for `/calls` and the daily summary: choose the connection, fetch, aggregate.

``fetch_call_stats`` (AICallCenter) and ``campaign_progress`` (Alohub) stream a provider's
pages into the counters of ``bot.stats``; ``ProgressReporter`` shows how far a long fetch
got without using up the reply's response_url.
"""

from bot.calls.progress import Pace, ProgressReporter
from bot.calls.service import (
    CONTACT_PAGE,
    CallsReport,
    OnProgress,
    ProgressReport,
    campaign_progress,
    fetch_call_stats,
    fetch_period_stats,
    fetch_window_stats,
)

__all__ = [
    "CONTACT_PAGE",
    "CallsReport",
    "OnProgress",
    "Pace",
    "ProgressReport",
    "ProgressReporter",
    "campaign_progress",
    "fetch_call_stats",
    "fetch_period_stats",
    "fetch_window_stats",
]
