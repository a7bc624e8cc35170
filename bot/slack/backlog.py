"""Acked work not yet done, bounded, and served fairly between channels.

A listener acks a command before doing it; the work waits here. The backlog bounds what
was acked and is not yet done — by count (``max_pending`` in all, ``max_per_channel``
for one channel) and by age (the oldest waiting for longer than ``max_age``). Past a
bound ``busy`` says why, and the edge stops acking what it could not do in time: a slash
command is answered "busy" at once, an event gets a 503 so Slack sends it again later,
and ``/healthz`` says not-ready until the backlog drains (``bot.slack.payloads``,
``bot.slack.server``).

Each channel has its own queue; at most ``workers`` items run at once, taken from the
channels in turn (round-robin), so one channel's flood delays another channel's command
by at most one item per channel ahead of it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

Work = Callable[[], Coroutine[Any, Any, None]]
Spawn = Callable[[Coroutine[Any, Any, None], str], Any]

# Defaults: a command answered within ~20 s of its ack, or not acked at all.
# Items running at once: 8, not more, so that acks come first. An ack and the acked work
# share the event loop (and the GIL with the store's threads); on a saturated CPU every
# item running adds to the callbacks an ack's steps wait behind. Measured (bench/load.py,
# 2026-12-06): 16 → 8 took the steady ack p99 from ~700 to ~250 ms and the CPU per
# command from ~11 to ~7.7 ms. Eight commands at once is still 8/s per replica with a
# provider that takes a second to answer, beyond what a call center's operators type.
WORKERS = 8
MAX_PENDING = 500
MAX_PER_CHANNEL = 100
MAX_AGE = 20.0


@dataclass(frozen=True)
class _Item:
    work: Work
    name: str
    since: float


class Backlog:
    """Per-channel queues of acked work, run ``workers`` at a time, round-robin."""

    def __init__(
        self,
        spawn: Spawn,
        *,
        workers: int = WORKERS,
        max_pending: int = MAX_PENDING,
        max_per_channel: int = MAX_PER_CHANNEL,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._spawn = spawn
        self.workers = workers
        self.max_pending = max_pending
        self.max_per_channel = max_per_channel
        self.max_age = max_age
        self._clock = clock
        self._queues: OrderedDict[str, deque[_Item]] = OrderedDict()
        self._waiting = 0
        self._running = 0
        self._runners = 0

    @property
    def pending(self) -> int:
        """Acked and not yet done: waiting plus running."""
        return self._waiting + self._running

    def waiting_in(self, channel: str) -> int:
        """How many items of ``channel`` wait."""
        return len(self._queues.get(channel, ()))

    def busy(self, channel: str | None = None) -> str | None:
        """Why no more work should be acked (for ``channel``, or at all); None when it may."""
        if self.pending >= self.max_pending:
            return f"{self.pending} acked commands not yet done (bound {self.max_pending})"
        oldest = min((queue[0].since for queue in self._queues.values()), default=None)
        if oldest is not None and self._clock() - oldest > self.max_age:
            age = self._clock() - oldest
            return f"an acked command has waited {age:.0f} s (bound {self.max_age:g} s)"
        if channel is not None and self.waiting_in(channel) >= self.max_per_channel:
            return f"{self.max_per_channel} commands of this channel waiting"
        return None

    def put(self, channel: str, work: Work, name: str) -> None:
        """Queue ``work`` (acked already) behind ``channel``'s earlier work."""
        self._queues.setdefault(channel, deque()).append(_Item(work, name, self._clock()))
        self._waiting += 1
        if self._runners < self.workers:
            self._runners += 1
            self._spawn(self._run(), name)

    def _next(self) -> _Item | None:
        if not self._queues:
            return None
        channel, queue = next(iter(self._queues.items()))
        item = queue.popleft()
        if queue:
            self._queues.move_to_end(channel)  # the other channels go first next time
        else:
            del self._queues[channel]
        self._waiting -= 1
        return item

    async def _run(self) -> None:
        try:
            while (item := self._next()) is not None:
                self._running += 1
                try:
                    task = asyncio.current_task()
                    if task is not None:
                        task.set_name(item.name)
                    await item.work()
                except Exception:
                    log.exception("acked work %s failed", item.name)
                finally:
                    self._running -= 1
        finally:
            self._runners -= 1
