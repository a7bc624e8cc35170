"""Home's open alerts from the alerts feature (``bot.alerts``): firing and not acknowledged.

``AlertService`` reads and acknowledges the alerts; this hands them to Home in the shape
of its port (``bot.home.alerts.AlertSource``): an Acknowledge pressed on Home goes to
``AlertService.acknowledge_key``, which checks the alert is open in that channel, records
who and when, and updates the alert's message in the channel.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.alerts.service import AlertService
from bot.home.alerts import OpenAlert
from bot.messages import Messages

__all__ = ["AlertsOnHome"]


class AlertsOnHome:
    """The ``AlertSource`` of Home on the alert rules in the database."""

    def __init__(self, alerts: AlertService) -> None:
        self.alerts = alerts

    async def open_alerts(self, channels: Collection[str], msg: Messages) -> Sequence[OpenAlert]:
        """The firing, unacknowledged alerts of ``channels``, the latest first."""
        found = await self.alerts.open_alerts(sorted(channels), msg)
        return [OpenAlert(alert.channel, alert.text, alert.key) for alert in found]

    async def acknowledge(self, channel: str, key: str, user: str) -> None:
        """Acknowledge the alert ``key`` (``rule:event``) of ``channel`` for ``user``."""
        await self.alerts.acknowledge_key(channel, key, user)
