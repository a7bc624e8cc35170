"""Group commit: the writes that arrive while others are in flight go together in the next.

A burst of Slack commands arrives at once, and each ack waits for its command's record.
One statement a record costs a thread hop, a round trip and SQLAlchemy's own work per
command; recorded together, a hundred commands cost a few statements. A record that
arrives when a flush slot is free is written at once, alone: nothing waits for company.

``GroupedWrites`` keeps the order of arrival within a batch and gives every caller its own
result, or the exception its batch raised.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupedWrites(Generic[T, R]):
    """Call ``write_many`` with the items waiting, ``flushes`` calls at most in flight.

    ``write_many`` returns one result per item, in the items' order.
    """

    def __init__(
        self,
        write_many: Callable[[Sequence[T]], Awaitable[Sequence[R]]],
        *,
        flushes: int = 2,
        most: int = 100,
    ) -> None:
        self._write_many = write_many
        self._flushes = flushes
        self._most = most
        self._waiting: deque[tuple[T, asyncio.Future[R]]] = deque()
        self._running = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._started: set[asyncio.Task[None]] = set()

    async def __call__(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._running < self._flushes:
            self._running += 1
            task = asyncio.create_task(self._drain(), name="grouped writes")
            self._tasks.add(task)
            task.add_done_callback(self._finished)
        return await future

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task in self._started:
            self._started.discard(task)
        else:  # cancelled before it ran: ``_drain`` did not count itself out
            self._running -= 1
        if task.cancelled():  # a stop: whoever waits is told, never left waiting
            for _, future in self._waiting:
                future.cancel()
            self._waiting.clear()

    async def _drain(self) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._started.add(task)
        batch: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while self._waiting:
                most = min(self._most, len(self._waiting))
                batch = [self._waiting.popleft() for _ in range(most)]
                try:
                    results = list(await self._write_many([item for item, _ in batch]))
                    if len(results) != len(batch):
                        raise RuntimeError(f"{len(results)} results for {len(batch)} writes")
                except Exception as exc:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
            batch = []
        except asyncio.CancelledError:
            for _, future in batch:  # the others: ``_finished``
                future.cancel()
            raise
        finally:
            self._running -= 1
