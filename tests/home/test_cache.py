"""``TTLCache``: one fetch per key per ttl, shared while in flight, failures not kept."""

from __future__ import annotations

import asyncio

import pytest

from bot.home.cache import TTLCache


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_value_is_reused_within_the_ttl_and_fetched_again_after():
    clock = _Clock()
    cache: TTLCache[int] = TTLCache(60.0, clock=clock)
    fetched = 0

    async def fetch() -> int:
        nonlocal fetched
        fetched += 1
        return fetched

    assert [await cache.get("k", fetch) for _ in range(3)] == [1, 1, 1]
    clock.now = 59.9
    assert await cache.get("k", fetch) == 1
    clock.now = 60.0
    assert await cache.get("k", fetch) == 2 and fetched == 2


async def test_callers_of_one_key_share_the_fetch_in_flight():
    cache: TTLCache[str] = TTLCache(60.0)
    started = 0
    release = asyncio.Event()

    async def fetch() -> str:
        nonlocal started
        started += 1
        await release.wait()
        return "v"

    waiting = [asyncio.ensure_future(cache.get("k", fetch)) for _ in range(5)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiting) == ["v"] * 5 and started == 1


async def test_a_failed_fetch_is_not_kept():
    cache: TTLCache[str] = TTLCache(60.0)

    async def broken() -> str:
        raise RuntimeError("provider down")

    async def fine() -> str:
        return "v"

    with pytest.raises(RuntimeError):
        await cache.get("k", broken)
    assert await cache.get("k", fine) == "v"


async def test_a_caller_giving_up_does_not_cancel_the_others_fetch():
    cache: TTLCache[str] = TTLCache(60.0)
    release = asyncio.Event()

    async def fetch() -> str:
        await release.wait()
        return "v"

    first = asyncio.ensure_future(cache.get("k", fetch))
    second = asyncio.ensure_future(cache.get("k", fetch))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    assert await second == "v"
