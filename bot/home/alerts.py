"""Where Home reads the open alerts of a user's channels: a port, filled by the alerts feature.

Home needs only this much of an alert: its channel, what fired in words, and how its
*Acknowledge* button is made (the alerts feature handles the press). Until alerts exist
``NoAlerts`` answers that none is open.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["AlertSource", "NoAlerts", "OpenAlert"]


@dataclass(frozen=True, slots=True)
class OpenAlert:
    """One alert firing and not acknowledged, as Home shows it."""

    channel: str
    text: str  # what fired, with the figure and the threshold, in the catalog's language
    action_id: str  # the alerts feature's Acknowledge action
    value: str  # the button's value (the alert's id)


class AlertSource(Protocol):
    """The open (firing, unacknowledged) alerts of some channels."""

    async def open_alerts(self, channels: Collection[str]) -> Sequence[OpenAlert]:
        """The open alerts of ``channels``, the most recent first."""
        ...


class NoAlerts:
    """No alert feature: nothing is ever open."""

    async def open_alerts(self, channels: Collection[str]) -> Sequence[OpenAlert]:
        """None."""
        return ()
