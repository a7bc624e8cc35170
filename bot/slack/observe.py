"""``GET /metrics``: this process's counters and the database's gauges (``bot.metrics``)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy import func, select

from bot import metrics
from bot.store import Store
from bot.store.models import Job, JobRow, SummaryRun

log = logging.getLogger(__name__)

# A scrape waits this long for the database's counts, then answers without them.
COUNTS_TIMEOUT = 5.0


def database_counts(store: Store) -> dict[str, dict[str, int]]:
    """Jobs, rows and summary runs by state (blocking: run it in a thread)."""
    counts: dict[str, dict[str, int]] = {}
    with store.session() as session:
        for name, model in (("jobs", Job), ("rows", JobRow), ("summaries", SummaryRun)):
            query = select(model.state, func.count()).group_by(model.state)
            counts[name] = {state: int(n) for state, n in session.execute(query)}
    return counts


async def metrics_response(store: Store) -> web.Response:
    """The Prometheus text, the database read on a store thread (its gauges kept when it
    fails)."""
    try:
        async with asyncio.timeout(COUNTS_TIMEOUT):
            counts = await store.read(database_counts, store)
    except Exception as error:
        log.warning("metrics: the database counts failed (%s)", type(error).__name__)
        counts = None
    body = metrics.exposition(counts)
    return web.Response(body=body, headers={"Content-Type": metrics.CONTENT_TYPE})
