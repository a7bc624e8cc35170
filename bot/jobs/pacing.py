"""How much of a job is handed to Alohub at once.

What Alohub's bulk endpoint has accepted cannot be called back: a cancel stops only the
rows not handed over yet. Handing over a whole 20,000-row job in four chunks of 5,000 at
the start made a cancel in the first minute stop nothing. So each chunk carries about
``chunk_seconds`` of Alohub's work, at the rate its chunks are seen to progress in the
polls; a few chunks run at once (as before, so a provider that works on several jobs at
a time is kept as busy), a chunk about to finish before the next poll no longer counts
against them, so the next one is already there when it ends, and the last rows are shared
evenly over those chunks so that they end together.

The rate is measured, not assumed: the seed documents none. The first chunks are small
(``first_chunk`` rows) and the size grows as fast as Alohub shows it can go, up to the
connection's ``batch_size``. Fewer rows a request means more requests for the same rows
(one bulk call a chunk; the polls do not change); at ``chunk_seconds`` of work a chunk
that stays far below any rate limit. Figures: bench/RESULTS.md, "Alohub chunks and cancel".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass
class ChunkPacer:
    """Sizes the next Alohub chunk and says whether another may go now."""

    batch_size: int
    outstanding: int = 4  # chunks Alohub works on at once (not counting ones about to end)
    chunk_seconds: float = 20.0  # Alohub's work a chunk carries, at the rate measured
    first_chunk: int = 500
    poll_seconds: float = 2.5
    clock: Callable[[], float] = time.monotonic
    rate: float | None = None  # rows a second one chunk progresses at, once seen
    _started: dict[int, float] = field(default_factory=dict)
    _left: dict[int, int] = field(default_factory=dict)  # rows left at a chunk's last poll
    _size: int = 0

    def next_size(self, pending: int = 0, submitted: Mapping[int, int] | None = None) -> int:
        """Rows for the next chunk, given the rows still ``pending`` and the ``submitted``
        chunks (number → rows). Near the end the work left is shared evenly over the
        chunks that run at once, so they end together instead of one long chunk alone."""
        size = self.first_chunk if self.rate is None else round(self.rate * self.chunk_seconds)
        if pending:
            left = pending + sum(self._left.get(n, rows) for n, rows in (submitted or {}).items())
            size = min(size, max(self.first_chunk, -(-left // self.outstanding)))
        self._size = max(min(self.first_chunk, self.batch_size), min(size, self.batch_size))
        return self._size

    def may_submit(self, submitted: list[int]) -> bool:
        """True when fewer than ``outstanding`` of the ``submitted`` chunks have work left
        beyond the next poll."""
        busy = [number for number in submitted if not self._ending(number)]
        return len(busy) < self.outstanding

    def submitted(self, number: int) -> None:
        """A chunk was accepted by Alohub now."""
        self._started[number] = self.clock()

    def progress(self, number: int, processed: int, total: int) -> None:
        """What a poll said of a chunk: its rate refines the next chunks' size."""
        started = self._started.get(number)
        self._left[number] = max(0, total - processed)
        if started is None:
            return  # submitted before a restart: its start is unknown
        elapsed = max(self.clock() - started, 1e-3)
        if processed >= total:
            floor = total / elapsed
            if self.rate is None or floor >= self.rate:
                # It ended before this poll, perhaps long before: the rate is only known to
                # be higher than ``floor``. Grow fast (the next chunks take four times this).
                self.rate = max(floor, 4 * self._size / self.chunk_seconds)
            self._started.pop(number, None)
            self._left.pop(number, None)
        elif processed > 0:
            self.rate = processed / elapsed

    def forget(self, number: int) -> None:
        """A chunk ended without a result (failed or lost)."""
        self._started.pop(number, None)
        self._left.pop(number, None)

    def _ending(self, number: int) -> bool:
        left = self._left.get(number)  # None until a poll has seen the chunk
        if left is None or self.rate is None:
            return False
        return left <= self.rate * self.poll_seconds
