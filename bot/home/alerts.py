"""Where Home reads the open alerts of a user's channels and acknowledges one: a port,
filled by the alerts feature.

Home needs only this much of an alert: its channel, what fired in words, and a key the
source knows it by. Its *Acknowledge* button (``HOME_ACK_ACTION``, value: channel and
key) is handled by ``commands.home``: Home checks that the presser is in the alert's
channel, then asks the source to acknowledge it. Until alerts exist ``NoAlerts`` answers
that none is open.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.errors import UserInputError
from bot.messages import Messages
from bot.render.home import HOME_ACK_ACTION

__all__ = ["HOME_ACK_ACTION", "AlertSource", "NoAlerts", "OpenAlert"]


@dataclass(frozen=True, slots=True)
class OpenAlert:
    """One alert firing and not acknowledged, as Home shows it."""

    channel: str
    text: str  # what fired, with the figure and the threshold, in the catalog's language
    key: str  # how the source knows this alert (e.g. the rule and the firing)


class AlertSource(Protocol):
    """The open (firing, unacknowledged) alerts of some channels, and their acknowledgement."""

    async def open_alerts(self, channels: Collection[str], msg: Messages) -> Sequence[OpenAlert]:
        """The open alerts of ``channels``, the most recent first, told in ``msg``'s language."""
        ...

    async def acknowledge(self, channel: str, key: str, user: str) -> None:
        """Record that ``user`` acknowledged the alert ``key`` of ``channel`` (and show it
        on the alert's message). A ``CallopsError`` says why not (closed, acknowledged)."""
        ...


class NoAlerts:
    """No alert feature: nothing is ever open."""

    async def open_alerts(self, channels: Collection[str], msg: Messages) -> Sequence[OpenAlert]:
        """None."""
        return ()

    async def acknowledge(self, channel: str, key: str, user: str) -> None:
        """There is nothing to acknowledge."""
        raise UserInputError("home.alerts.closed")
