"""The summary service (being written)."""

from __future__ import annotations

from bot.services import Services


class SummaryService:
    """Posts daily summaries (placeholder until the feature lands)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def start(self) -> None:
        """Rebuild triggers."""

    async def stop(self) -> None:
        """Remove triggers."""
