"""A per-process cache of recent fetches: each key fetched at most once per ``ttl`` seconds.

Concurrent callers of one key share one fetch in flight (two users opening Home together
cost the provider one request, not two); a fetch that fails is not kept, so the next
caller tries again. The cache lives in this process only: with several replicas each
fetches on its own, at most once a ``ttl`` per key, which is what the 60-second bound of
the Home's figures needs (nothing in it must be shared or survive a restart). Written here
rather than added as a dependency: the asyncio caches on PyPI either lack the shared
in-flight fetch or bring a backend framework for these thirty lines.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = ["TTLCache"]


class TTLCache(Generic[T]):
    """``await cache.get(key, fetch)``: the value fetched less than ``ttl`` seconds ago, or
    ``fetch()`` now (shared with whoever asks for the same key meanwhile)."""

    def __init__(
        self,
        ttl: float,
        *,
        max_entries: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, asyncio.Future[T]]] = {}

    async def get(self, key: Hashable, fetch: Callable[[], Awaitable[T]]) -> T:
        """The cached value of ``key``, fetching it when missing or older than ``ttl``."""
        now = self._clock()
        entry = self._entries.get(key)
        if entry is None or (entry[1].done() and now - entry[0] >= self.ttl):
            self._prune(now)
            future: asyncio.Future[T] = asyncio.ensure_future(fetch())
            entry = self._entries[key] = (now, future)
            future.add_done_callback(lambda done: self._forget_failure(key, done))
        # shield: one caller giving up (a cancelled Home) does not cancel the others' fetch
        return await asyncio.shield(entry[1])

    def clear(self) -> None:
        """Forget everything (the next ``get`` of each key fetches)."""
        self._entries.clear()

    def _forget_failure(self, key: Hashable, done: asyncio.Future[T]) -> None:
        if done.cancelled() or done.exception() is not None:
            current = self._entries.get(key)
            if current is not None and current[1] is done:
                del self._entries[key]

    def _prune(self, now: float) -> None:
        if len(self._entries) < self.max_entries:
            return
        for key, (at, future) in list(self._entries.items()):
            if future.done() and now - at >= self.ttl:
                del self._entries[key]
        while len(self._entries) >= self.max_entries:  # all fresh: drop the oldest
            del self._entries[next(iter(self._entries))]
