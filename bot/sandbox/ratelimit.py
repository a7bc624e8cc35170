"""Sliding-window rate limiting: at most ``count`` requests per ``seconds``."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decision:
    """The limiter's answer for one request."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # whole seconds to wait; 0 when allowed


class SlidingWindow:
    """Counts admitted requests in the last ``seconds``; refused ones are not counted."""

    def __init__(self, count: int, seconds: float) -> None:
        if count < 1 or seconds <= 0:
            raise ValueError("rate limit needs count >= 1 and seconds > 0")
        self.count = count
        self.seconds = seconds
        self._hits: deque[float] = deque()

    def hit(self, now: float) -> Decision:
        """Admit or refuse one request arriving at ``now`` (monotonic seconds)."""
        while self._hits and self._hits[0] <= now - self.seconds:
            self._hits.popleft()
        if len(self._hits) < self.count:
            self._hits.append(now)
            return Decision(True, self.count, self.count - len(self._hits), 0)
        wait = self._hits[0] + self.seconds - now
        return Decision(False, self.count, 0, max(1, math.ceil(wait)))
