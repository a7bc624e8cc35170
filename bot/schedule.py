"""The one APScheduler of the process: job polling/sending and daily summaries.

The database is the source of truth; triggers live in a memory job store and are rebuilt
from the database at start (APScheduler 3 drops a pickled job it cannot restore, and one
job store must never be shared by two schedulers).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

Work = Callable[[], Awaitable[None]]


class Scheduler:
    """Named periodic work: ``every`` (seconds) and ``daily_at`` (local HH:MM)."""

    def __init__(self, timezone: ZoneInfo) -> None:
        self.timezone = timezone
        self._scheduler = AsyncIOScheduler(
            timezone=timezone,
            job_defaults={
                "coalesce": True,  # a late run is run once, not once per missed tick
                "max_instances": 1,  # a slow run is never overlapped by the next one
                "misfire_grace_time": None,
            },
        )

    def start(self) -> None:
        """Start firing triggers (inside the running event loop)."""
        if not self._scheduler.running:
            self._scheduler.start()

    def shutdown(self) -> None:
        """Stop firing and forget every trigger (a new leader rebuilds them from the
        database); running work is cancelled by its owner."""
        self._scheduler.remove_all_jobs()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def every(self, id: str, seconds: float, work: Work, *, first_in: float = 0.0) -> None:
        """Run ``work`` every ``seconds``, the first time ``first_in`` seconds from now
        (replacing any work of the same id)."""
        trigger = IntervalTrigger(seconds=seconds, timezone=self.timezone)
        work = _ends_quietly_when_cancelled(work)
        self._scheduler.add_job(
            work,
            trigger,
            id=id,
            replace_existing=True,
            next_run_time=datetime.now(self.timezone) + timedelta(seconds=first_in),
        )

    def daily_at(self, id: str, hour: int, minute: int, work: Work) -> None:
        """Run ``work`` every day at local ``hour:minute``."""
        trigger = CronTrigger(hour=hour, minute=minute, timezone=self.timezone)
        work = _ends_quietly_when_cancelled(work)
        self._scheduler.add_job(work, trigger, id=id, replace_existing=True)

    def remove(self, id: str) -> None:
        """Forget the work of ``id`` (no error when absent)."""
        if self._scheduler.get_job(id) is not None:
            self._scheduler.remove_job(id)

    def has(self, id: str) -> bool:
        """True when work of ``id`` is scheduled."""
        return self._scheduler.get_job(id) is not None

    def next_run(self, id: str) -> datetime | None:
        """When work ``id`` fires next."""
        job = self._scheduler.get_job(id)
        return job.next_run_time if job else None


def _ends_quietly_when_cancelled(work: Work) -> Work:
    """``work`` that ends without an error when shutdown cancels it.

    APScheduler logs a cancelled run as a failed job, with a traceback; a run stopped by
    our own shutdown is not a failure (its owner resumes from the database at start).
    """

    @functools.wraps(work)
    async def run() -> None:
        try:
            await work()
        except asyncio.CancelledError:
            log.debug("%s stopped by shutdown", getattr(work, "__qualname__", work))

    return run
