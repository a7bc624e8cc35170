"""Client-side rate limiting, so the bot itself stays under a provider's limit.

A sliding-window log: at most ``count`` request starts in any window of ``seconds``,
which is what the providers count. A leaky bucket (e.g. ``aiolimiter``) lets a full
burst through and then keeps draining, i.e. up to twice the limit in one window, and
the provider would answer 429 to the excess.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable


class SlidingWindowLimiter:
    """At most ``count`` acquisitions in any ``seconds``-long window; waiters queue in order.

    ``clock`` and ``sleep`` are injectable so tests can drive time by hand.
    """

    def __init__(
        self,
        count: int,
        seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if count < 1 or seconds <= 0:
            raise ValueError("a rate limit needs count >= 1 and seconds > 0")
        self.count = count
        self.seconds = seconds
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until one more request fits in the window, then record it."""
        async with self._lock:  # FIFO: asyncio.Lock wakes waiters in order
            while True:
                now = self._clock()
                while self._starts and self._starts[0] <= now - self.seconds:
                    self._starts.popleft()
                if len(self._starts) < self.count:
                    self._starts.append(now)
                    return
                await self._sleep(self._starts[0] + self.seconds - now)

    def pause(self, seconds: float) -> None:
        """Count the window as full for ``seconds`` (the provider said 429: Retry-After)."""
        if seconds <= 0:
            return
        # A start recorded at ``until`` leaves the window exactly ``seconds`` from now.
        until = self._clock() + seconds - self.seconds
        kept = [max(start, until) for start in self._starts]
        self._starts = deque([until] * (self.count - len(kept)) + kept)
