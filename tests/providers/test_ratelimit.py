"""The sliding-window limiter, driven by a hand-moved clock (no real waiting)."""

from __future__ import annotations

import asyncio

import pytest

from bot.providers.ratelimit import SlidingWindowLimiter


class FakeTime:
    """A clock that moves only when somebody sleeps on it (or a test moves it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)  # let the other tasks run, as a real sleep would


def limiter(count: int, seconds: float, time: FakeTime) -> SlidingWindowLimiter:
    return SlidingWindowLimiter(count, seconds, clock=time.clock, sleep=time.sleep)


async def request(gate: SlidingWindowLimiter, time: FakeTime, starts: list[float]) -> None:
    """One request answered at once: it records when it was let through."""
    async with gate.slot():
        starts.append(time.now)


def max_starts_in_any_window(starts: list[float], seconds: float) -> int:
    """The most starts found in one half-open window [t, t + seconds)."""
    starts = sorted(starts)
    return max(sum(1 for s in starts if t <= s < t + seconds) for t in starts)


async def test_a_burst_within_the_limit_starts_at_once() -> None:
    time = FakeTime()
    gate, starts = limiter(5, 10.0, time), []
    await asyncio.gather(*(request(gate, time, starts) for _ in range(5)))
    assert starts == [1000.0] * 5
    assert time.sleeps == []


async def test_a_burst_over_the_limit_never_exceeds_n_starts_in_any_window() -> None:
    time = FakeTime()
    gate, starts = limiter(20, 10.0, time), []

    await asyncio.gather(*(request(gate, time, starts) for _ in range(200)))

    assert len(starts) == 200
    assert max_starts_in_any_window(starts, 10.0) == 20
    # …and it is not slower than it must be: 10 full windows, the last starting at 90 s.
    assert max(starts) - min(starts) == pytest.approx(90.0)


async def test_spread_out_requests_never_wait() -> None:
    time = FakeTime()
    gate, starts = limiter(2, 10.0, time), []
    for _ in range(10):
        await request(gate, time, starts)
        time.now += 5.0
    assert time.sleeps == []


async def test_the_window_slides_rather_than_resetting_on_a_boundary() -> None:
    time = FakeTime()
    gate, starts = limiter(2, 10.0, time), []
    await request(gate, time, starts)  # t = 0
    time.now += 9.0
    await request(gate, time, starts)  # t = 9
    await request(gate, time, starts)  # waits until the first leaves: t = 10
    await request(gate, time, starts)  # the one at t = 9 leaves at t = 19
    assert [s - 1000.0 for s in starts] == pytest.approx([0.0, 9.0, 10.0, 19.0])


async def test_a_slow_answer_holds_its_place_until_a_window_after_it_came_back() -> None:
    time = FakeTime()
    gate = limiter(1, 10.0, time)
    slow = await gate.acquire()  # sent at t = 0 …
    time.now += 4.0
    gate.release(slow)  # … answered at t = 4: the provider may have counted it as late as that
    starts: list[float] = []
    await request(gate, time, starts)
    assert starts == [pytest.approx(1014.0)]


async def test_when_every_place_is_in_flight_the_next_waits_for_an_answer() -> None:
    time = FakeTime()
    gate = limiter(1, 10.0, time)
    in_flight = await gate.acquire()
    waiting = asyncio.create_task(gate.acquire())
    for _ in range(5):
        await asyncio.sleep(0)
    assert not waiting.done()

    time.now += 2.0
    gate.release(in_flight)
    gate.release(await waiting)

    assert time.now == pytest.approx(1012.0)


async def test_waiters_are_served_first_in_first_out() -> None:
    time = FakeTime()
    gate = limiter(1, 1.0, time)
    served: list[int] = []

    async def numbered(n: int) -> None:
        async with gate.slot():
            served.append(n)

    tasks = []
    for n in range(10):
        tasks.append(asyncio.create_task(numbered(n)))
        await asyncio.sleep(0)  # each task queues before the next is created
    await asyncio.gather(*tasks)
    assert served == list(range(10))


async def test_pause_after_a_429_holds_every_request_for_retry_after() -> None:
    time = FakeTime()
    gate, starts = limiter(20, 10.0, time), []
    await request(gate, time, starts)

    gate.pause(30.0)  # the provider said Retry-After: 30, longer than the window
    await asyncio.gather(*(request(gate, time, starts) for _ in range(5)))

    assert [s - 1000.0 for s in starts] == pytest.approx([0.0] + [30.0] * 5)


async def test_pause_shorter_than_the_window_still_keeps_the_window() -> None:
    time = FakeTime()
    gate, starts = limiter(3, 10.0, time), []
    gate.pause(2.0)
    await asyncio.gather(*(request(gate, time, starts) for _ in range(6)))
    assert starts[0] == pytest.approx(1002.0)
    assert max_starts_in_any_window(starts, 10.0) == 3


async def test_a_second_shorter_pause_does_not_cut_the_first_short() -> None:
    time = FakeTime()
    gate, starts = limiter(3, 10.0, time), []
    gate.pause(5.0)
    gate.pause(1.0)
    await request(gate, time, starts)
    assert starts == [pytest.approx(1005.0)]


async def test_pause_of_zero_does_not_block() -> None:
    time = FakeTime()
    gate, starts = limiter(1, 10.0, time), []
    gate.pause(0.0)
    await request(gate, time, starts)
    assert time.sleeps == []


async def test_a_failed_request_still_gives_its_place_back() -> None:
    time = FakeTime()
    gate = limiter(1, 10.0, time)
    with pytest.raises(RuntimeError):
        async with gate.slot():
            raise RuntimeError("connection reset")
    time.now += 10.0
    await asyncio.wait_for(request(gate, time, []), timeout=1.0)
    assert time.sleeps == []


async def test_a_cancelled_waiter_does_not_block_the_queue() -> None:
    time = FakeTime()
    gate = SlidingWindowLimiter(1, 10.0, clock=time.clock)  # real sleep: the waiter really waits
    await request(gate, time, [])
    waiting = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    time.now += 10.0
    await asyncio.wait_for(request(gate, time, []), timeout=1.0)


@pytest.mark.parametrize(("count", "seconds"), [(0, 10.0), (5, 0.0), (-1, 1.0)])
def test_an_impossible_limit_is_refused(count: int, seconds: float) -> None:
    with pytest.raises(ValueError):
        SlidingWindowLimiter(count, seconds)
