"""Client-side rate limiting, so the bot itself stays under a provider's limit.

A sliding-window log: at most ``count`` requests in any window of ``seconds``, which is
what the providers count. A leaky bucket (e.g. ``aiolimiter``) lets a full burst through
and then keeps draining, i.e. up to twice the limit in one window, and the provider
would answer 429 to the excess.

The provider counts a request when it *arrives*, which the client cannot see: it lies
somewhere between sending and the answer. So a request holds its place in the window
from the moment it is sent until its answer is back, and ``seconds`` after that. Counting
from the send alone is not enough: the first request of a window may arrive a little
late and the first of the next window a little early, and the provider then sees one
too many (in a 200-request burst at 20/10s against the sandbox, that was 30 429s).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

_IN_FLIGHT = float("inf")


class Slot:
    """One request's place in the window; it is busy until released, then ``seconds`` more."""

    __slots__ = ("busy_until",)

    def __init__(self) -> None:
        self.busy_until = _IN_FLIGHT


class SlidingWindowLimiter:
    """At most ``count`` requests in any ``seconds``-long window; waiters queue in order.

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
        self._slots: list[Slot] = []
        self._paused_until = float("-inf")
        self._lock = asyncio.Lock()
        self._released = asyncio.Event()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a place in the window for the duration of one request."""
        taken = await self.acquire()
        try:
            yield
        finally:
            self.release(taken)

    async def acquire(self) -> Slot:
        """Wait until one more request fits in the window; ``release`` the slot when done."""
        async with self._lock:  # FIFO: asyncio.Lock wakes waiters in order
            while True:
                now = self._clock()
                if now < self._paused_until:
                    await self._sleep(self._paused_until - now)
                    continue
                horizon = now - self.seconds
                self._slots = [s for s in self._slots if s.busy_until > horizon]
                if len(self._slots) < self.count:
                    taken = Slot()
                    self._slots.append(taken)
                    return taken
                soonest = min(s.busy_until for s in self._slots)
                if soonest == _IN_FLIGHT:
                    # Every place is held by a request still waiting for its answer.
                    self._released.clear()
                    await self._released.wait()
                else:
                    await self._sleep(soonest + self.seconds - now)

    def release(self, slot: Slot) -> None:
        """The request of ``slot`` has its answer; its place frees ``seconds`` from now."""
        slot.busy_until = self._clock()
        self._released.set()

    def pause(self, seconds: float) -> None:
        """Let no request start for ``seconds`` (the provider said 429: Retry-After)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
