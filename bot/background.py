"""Background work resumed at start from the database: import jobs and daily summaries."""

from __future__ import annotations

from bot.schedule import Scheduler
from bot.services import Services


async def start_background(services: Services) -> None:
    """Start the scheduler, resume import jobs, rebuild the daily summaries' triggers."""
    from bot.jobs.engine import JobEngine
    from bot.summaries.service import SummaryService

    services.scheduler = Scheduler(services.config.tz)
    services.scheduler.start()
    services.jobs = JobEngine(services)
    await services.jobs.start()
    services.summaries = SummaryService(services)
    await services.summaries.start()


async def stop_background(services: Services) -> None:
    """Stop summaries, jobs and the scheduler."""
    if services.summaries is not None:
        await services.summaries.stop()
    if services.jobs is not None:
        await services.jobs.stop()
    if services.scheduler is not None:
        services.scheduler.shutdown()
