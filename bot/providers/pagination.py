"""Pages as the UI sees them (numbered from 0) and iteration over every item.

Providers number pages differently (Alohub from 0, OMICall from 1, AICallCenter by
offset); each client converts, and nobody past the client counts pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of items; ``index`` counts from 0 whatever the provider does."""

    items: list[T]
    index: int
    size: int
    total: int | None = None

    @property
    def has_next(self) -> bool:
        """True when a later page has items."""
        if self.total is not None:
            return (self.index + 1) * self.size < self.total
        return len(self.items) >= self.size

    @property
    def has_previous(self) -> bool:
        """True when this is not the first page."""
        return self.index > 0

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the provider says."""
        if self.total is None:
            return None
        return max(1, -(-self.total // self.size))


async def iterate(fetch: Callable[[int], Awaitable[Page[T]]]) -> AsyncIterator[T]:
    """Yield every item of every page, fetching page 0, 1, … until the last."""
    index = 0
    while True:
        page = await fetch(index)
        for item in page.items:
            yield item
        if not page.items or not page.has_next:
            return
        index += 1
