"""Progress of a long fetch, shown in the caller's ephemeral reply without flooding it.

Slack lets a slash command's ``response_url`` be used five times in thirty minutes, and
the final answer needs one of them: a fetch shows at most ``limit`` progress sentences,
the first only once it has taken ``delay`` seconds (short fetches show none), then at
most one every ``every`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

Show = Callable[[str], Awaitable[None]]
Sentence = Callable[[int, int], str]


@dataclass(frozen=True, slots=True)
class Pace:
    """How often progress may be shown."""

    delay: float = 1.5
    every: float = 4.0
    limit: int = 3


class ProgressReporter:
    """A ``(done, total)`` callback that shows a sentence through ``show`` at a polite pace."""

    def __init__(
        self,
        show: Show | None,
        sentence: Sentence,
        *,
        pace: Pace | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._show = show
        self._sentence = sentence
        self._pace = pace or Pace()
        self._clock = clock
        self._started = clock()
        self._last: float | None = None
        self.shown = 0

    async def __call__(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` if the pace allows."""
        if self._show is None or self.shown >= self._pace.limit:
            return
        now = self._clock()
        if now - self._started < self._pace.delay:
            return
        if self._last is not None and now - self._last < self._pace.every:
            return
        self._last = now
        self.shown += 1
        try:
            await self._show(self._sentence(done, total))
        except Exception:  # progress is a courtesy: the fetch and its answer go on
            log.warning("could not show progress", exc_info=True)
            self._show = None
