"""Group commit (``bot.store.grouped``): writes that arrive during a flush go in the next one."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from bot.store.grouped import GroupedWrites


class Recorder:
    """A ``write_many`` that holds each flush until released, and remembers the batches."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.release = asyncio.Event()
        self.fail_on: int | None = None

    async def __call__(self, items: Sequence[int]) -> list[int]:
        self.batches.append(list(items))
        await self.release.wait()
        if self.fail_on in items:
            raise ValueError("the database refused")
        return [item * 10 for item in items]


async def test_a_write_alone_goes_at_once_and_the_next_ones_together():
    write = Recorder()
    grouped: GroupedWrites[int, int] = GroupedWrites(write, flushes=1)
    first = asyncio.create_task(grouped(1))
    await asyncio.sleep(0)
    others = [asyncio.create_task(grouped(n)) for n in (2, 3, 4)]
    await asyncio.sleep(0)
    assert write.batches == [[1]]  # nothing waited for company
    write.release.set()
    assert await first == 10
    assert await asyncio.gather(*others) == [20, 30, 40]
    assert write.batches == [[1], [2, 3, 4]]


async def test_batches_are_bounded_and_two_may_be_in_flight():
    write = Recorder()
    grouped: GroupedWrites[int, int] = GroupedWrites(write, flushes=2, most=3)
    calls = [asyncio.create_task(grouped(n)) for n in range(8)]
    for _ in range(3):
        await asyncio.sleep(0)
    assert write.batches == [[0, 1, 2], [3, 4, 5]]
    write.release.set()
    assert await asyncio.gather(*calls) == [n * 10 for n in range(8)]
    assert sorted(n for batch in write.batches for n in batch) == list(range(8))
    assert max(len(batch) for batch in write.batches) == 3


async def test_a_failed_batch_fails_its_own_callers_only():
    write = Recorder()
    write.fail_on = 2
    grouped: GroupedWrites[int, int] = GroupedWrites(write, flushes=1)
    first = asyncio.create_task(grouped(1))
    await asyncio.sleep(0)
    failing = [asyncio.create_task(grouped(n)) for n in (2, 3)]
    await asyncio.sleep(0)
    write.release.set()
    assert await first == 10
    for call in failing:
        with pytest.raises(ValueError, match="refused"):
            await call
    assert await grouped(5) == 50  # the next write is not held by the failure


@pytest.mark.parametrize("turns", [1, 3])  # cancelled before its flush began, or during it
async def test_a_stop_tells_every_waiting_caller(turns: int):
    write = Recorder()
    grouped: GroupedWrites[int, int] = GroupedWrites(write, flushes=1)
    calls = [asyncio.create_task(grouped(n)) for n in range(3)]
    for _ in range(turns):
        await asyncio.sleep(0)
    assert len(write.batches) == (turns > 1)
    for task in list(grouped._tasks):
        task.cancel()
    results = await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 5)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    # Nothing is held: the next write goes.
    write.release.set()
    assert await asyncio.wait_for(grouped(7), 5) == 70
