"""A clock the sandbox reads instead of ``time``, so tests can move time forward."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

# Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact
# and much faster than a zoneinfo lookup for 200,000 generated call records.
VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


class Clock:
    """Real time plus an offset that only ``advance`` changes; ``freeze`` stops real time."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen: tuple[float, float] | None = None  # (wall, monotonic) when frozen

    def time(self) -> float:
        """Seconds since the epoch, like ``time.time()``."""
        wall = self._frozen[0] if self._frozen else time.time()
        return wall + self._offset

    def monotonic(self) -> float:
        """A monotonic reading, like ``time.monotonic()``."""
        mono = self._frozen[1] if self._frozen else time.monotonic()
        return mono + self._offset

    def now_ms(self) -> int:
        """Milliseconds since the epoch."""
        return int(self.time() * 1000)

    def local_now(self) -> datetime:
        """The current time in Asia/Ho_Chi_Minh."""
        return datetime.fromtimestamp(self.time(), UTC).astimezone(VN_TZ)

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (never backward)."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        self._offset += seconds

    def freeze(self) -> None:
        """Stop real time from passing; only ``advance`` moves the clock until ``unfreeze``."""
        if self._frozen is None:
            self._frozen = (time.time(), time.monotonic())

    def unfreeze(self) -> None:
        """Let real time pass again, continuing from the frozen reading."""
        if self._frozen is not None:
            _, mono = self._frozen
            # keep both readings continuous: absorb the real time spent frozen
            self._offset -= time.monotonic() - mono
            self._frozen = None
