"""The job engine (being written)."""

from __future__ import annotations

from bot.services import Services


class JobEngine:
    """Runs import jobs (placeholder until the engine lands)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def start(self) -> None:
        """Resume jobs."""

    async def stop(self) -> None:
        """Stop jobs."""

    async def cancel(self, job_id: int) -> None:
        """Cancel a job."""
        raise NotImplementedError

    async def retry(self, job_id: int, *, include_unconfirmed: bool = False) -> int:
        """Retry a job."""
        raise NotImplementedError
