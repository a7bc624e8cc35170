"""Fetch call records and contacts page by page and aggregate them in one streaming pass.

AICallCenter: a period and its previous period are read at the provider's largest page
(500) through the connection's transport (rate limit, retries); each page is folded into
a ``CallStats`` and dropped, so memory depends on the page size, not on the number of
calls. Alohub: every contact of every list of a campaign, folded into a
``CampaignProgress``. Both report ``(done, total)`` to an optional progress callback.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import cast

from bot.providers.aicallcenter import MAX_LIMIT, AICallCenterClient, Call, CallPage
from bot.providers.alohub import AlohubClient
from bot.stats import CallStats, CampaignProgress, Period

__all__ = [
    "CONTACT_PAGE",
    "CallsReport",
    "OnProgress",
    "ProgressReport",
    "campaign_progress",
    "fetch_call_stats",
    "fetch_period_stats",
    "fetch_window_stats",
]

OnProgress = Callable[[int, int], Awaitable[None]]
# Alohub documents no maximum page size; 100 is what the client uses by default. Asking
# for more than the provider gives would make the page arithmetic skip contacts.
CONTACT_PAGE = 100


@dataclass(slots=True)
class CallsReport:
    """Statistics of a period and of the period before it, with how they were obtained."""

    period: Period
    previous: Period
    current: CallStats
    before: CallStats
    campaign: str | None
    fetched: int = 0
    pages: int = 0
    seconds: float = 0.0  # wall time of the whole fetch
    aggregate_seconds: float = 0.0  # of which spent folding records into counters

    @property
    def fetch_seconds(self) -> float:
        """Wall time not spent aggregating: requests, JSON and model parsing, waiting."""
        return self.seconds - self.aggregate_seconds


@dataclass(slots=True)
class ProgressReport:
    """An Alohub campaign's contacts counted by status."""

    campaign: str
    progress: CampaignProgress = field(default_factory=CampaignProgress)
    fetched: int = 0


async def fetch_call_stats(
    client: AICallCenterClient,
    period: Period,
    *,
    campaign: str | None = None,
    on_progress: OnProgress | None = None,
    page_size: int = MAX_LIMIT,
) -> CallsReport:
    """Aggregate the calls of ``period`` and of ``period.previous()`` (export or call log)."""
    started = time.perf_counter()
    previous = period.previous()
    report = CallsReport(period, previous, CallStats(), CallStats(), campaign)
    streams = [_pages(client, p, campaign, page_size) for p in (period, previous)]
    try:
        # Both first pages come first: their totals make an honest "of N" from the start.
        firsts = [await anext(stream, None) for stream in streams]
        total = sum(page.total for page in firsts if page is not None)
        for index, stats in enumerate((report.current, report.before)):
            page, firsts[index] = firsts[index], None
            while page is not None:
                folded = time.perf_counter()
                _fold(stats, page.calls, campaign)
                report.aggregate_seconds += time.perf_counter() - folded
                report.fetched += len(page.calls)
                report.pages += 1
                if on_progress is not None:
                    await on_progress(report.fetched, max(total, report.fetched))
                # Let go of this page before waiting for the next: one page alive at a time.
                page = None
                page = await anext(streams[index], None)
    finally:
        for stream in streams:
            await stream.aclose()
    report.seconds = time.perf_counter() - started
    return report


async def fetch_window_stats(
    client: AICallCenterClient,
    start_ms: int,
    end_ms: int,
    *,
    campaign: str | None = None,
    page_size: int = MAX_LIMIT,
) -> CallStats:
    """Aggregate the calls of ``[start_ms, end_ms)`` (an alert's window), page by page."""
    stats = CallStats()
    period_end = end_ms - 1  # as ``_pages``: a call at the window's end is the next one's
    if period_end < start_ms:
        return stats
    pages = client.iter_call_pages(campaign, start_ms, period_end, limit=page_size)
    try:
        async for page in pages:
            _fold(stats, page.calls, campaign)
            del page  # not kept while the next page is fetched
    finally:
        await pages.aclose()  # type: ignore[attr-defined]
    return stats


async def fetch_period_stats(
    client: AICallCenterClient, period: Period, *, page_size: int = MAX_LIMIT
) -> CallStats:
    """Aggregate the calls of ``period`` alone (the account's call log), page by page.

    For callers that fetch several periods at once (App Home: today and yesterday up to
    the same time, in parallel) rather than one after the other as ``fetch_call_stats``.
    """
    stats = CallStats()
    stream = _pages(client, period, None, page_size)
    try:
        async for page in stream:
            _fold(stats, page.calls, None)
    finally:
        await stream.aclose()
    return stats


def _fold(stats: CallStats, calls: list[Call], campaign: str | None) -> None:
    """Count one page of records into ``stats`` (in one pass; see ``CallStats.add_all``)."""
    # A record without a state is still a call (the counters put it under "other
    # states"), which the aggregator's Protocol, typed ``int``, cannot say.
    add_all = cast("Callable[[list[Call], object], CallStats]", stats.add_all)
    add_all(calls, campaign)


async def _pages(
    client: AICallCenterClient, period: Period, campaign: str | None, page_size: int
) -> AsyncGenerator[CallPage, None]:
    """The pages of one period; none for an empty window (e.g. ``today`` at midnight)."""
    # The provider does not say whether end_time is inclusive. Its records carry whole
    # seconds, so asking up to end - 1 ms keeps a call at exactly midnight out of the
    # day before, and loses nothing either way.
    end = period.end_ms - 1
    if end < period.start_ms:
        return
    async for page in client.iter_call_pages(campaign, period.start_ms, end, limit=page_size):
        yield page
        del page  # not kept while the next page is fetched


async def campaign_progress(
    client: AlohubClient,
    campaign: str,
    *,
    on_progress: OnProgress | None = None,
    page_size: int = CONTACT_PAGE,
) -> ProgressReport:
    """Count the contacts of every list of an Alohub campaign by process and call status."""
    report = ProgressReport(campaign)
    lists = await client.contact_lists(campaign)
    total = sum(max(0, item.contact_count) for item in lists)
    for item in lists:
        counts = report.progress.for_list(item.list_id, item.list_name)
        async for contact in client.contacts(campaign, item.list_id, size=page_size):
            counts.add(contact.process_status, contact.call_status)
            report.fetched += 1
            if on_progress is not None and report.fetched % page_size == 0:
                await on_progress(report.fetched, max(total, report.fetched))
    return report
