"""The backlog of acked work: round-robin between channels, bounds by count and by age."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.slack.backlog import Backlog


def _backlog(**bounds: Any) -> tuple[Backlog, list[str], set[asyncio.Task[None]]]:
    tasks: set[asyncio.Task[None]] = set()

    def spawn(work: Any, name: str) -> None:
        tasks.add(asyncio.get_running_loop().create_task(work, name=name))

    return Backlog(spawn, **bounds), [], tasks


async def test_one_channel_flooding_does_not_starve_another() -> None:
    backlog, done, tasks = _backlog(workers=1)

    def work(name: str) -> Any:
        async def run() -> None:
            done.append(name)

        return run

    for n in range(5):
        backlog.put("C0FLOOD", work(f"flood{n}"), "w")
    backlog.put("C0OTHER", work("other"), "w")
    await asyncio.gather(*tasks)
    # Served in turn: the other channel's command comes second, not sixth.
    assert done == ["flood0", "other", "flood1", "flood2", "flood3", "flood4"]
    assert backlog.pending == 0


async def test_busy_past_the_count_the_channel_bound_or_the_age() -> None:
    now = [0.0]
    gate = asyncio.Event()

    async def blocked() -> None:
        await gate.wait()

    backlog, _, tasks = _backlog(
        workers=1, max_pending=5, max_per_channel=3, max_age=20, clock=lambda: now[0]
    )
    for _ in range(4):
        backlog.put("C0A", blocked, "w")
    await asyncio.sleep(0)
    assert backlog.busy() is None and backlog.busy("C0B") is None
    assert "this channel" in (backlog.busy("C0A") or "")  # 1 running, 3 waiting
    now[0] = 25.0
    assert "waited 25 s" in (backlog.busy() or "")
    now[0] = 0.0
    backlog.put("C0B", blocked, "w")
    assert "5 acked commands" in (backlog.busy() or "")
    gate.set()
    await asyncio.gather(*tasks)
    assert backlog.busy() is None and backlog.pending == 0


async def test_a_failing_item_is_logged_and_the_rest_still_run(caplog: Any) -> None:
    backlog, done, tasks = _backlog(workers=1)

    async def fails() -> None:
        raise RuntimeError("boom")

    async def works() -> None:
        done.append("ok")

    backlog.put("C0A", fails, "w")
    backlog.put("C0A", works, "w")
    await asyncio.gather(*tasks)
    assert done == ["ok"]
    assert "acked work w failed" in caplog.text
