"""The subscription store: one row per channel, and a run row that only one claimer gets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.summaries import Schedule, SummaryStore


@pytest.fixture
def open_store(tmp_path: Path) -> Iterator[Callable[[], SummaryStore]]:
    """Open the same database file as often as asked; every engine is closed after."""
    opened: list[Store] = []

    def open_() -> SummaryStore:
        store = Store(f"sqlite:///{tmp_path}/s.db")
        store.create_schema()
        opened.append(store)
        return SummaryStore(store)

    yield open_
    for store in opened:
        store.close()


async def test_a_run_can_be_claimed_once_even_by_a_second_process(open_store):
    first, second = open_store(), open_store()  # two engines, one database
    row, created = await first.subscribe(Schedule("C1", "aicc", "08:00"), "U1")
    assert created
    assert await first.claim(row.id, "2026-04-21") is not None
    assert await second.claim(row.id, "2026-04-21") is None
    assert await first.claim(row.id, "2026-04-21") is None
    assert await second.claim(row.id, "2026-04-22") is not None


async def test_subscribing_again_changes_the_row_and_keeps_todays_run(open_store):
    store = open_store()
    before = datetime(2026, 4, 20, 1, tzinfo=UTC)
    row, _ = await store.subscribe(Schedule("C1", "aicc", "08:00"), "U1", now=before)
    run = await store.claim(row.id, "2026-04-21")
    assert run is not None
    await store.finish(run, "posted", "1.2", None)
    again, created = await store.subscribe(
        Schedule("C1", "aicc", "17:00", "today", "cmp-hn-01"), "U2"
    )
    assert not created and again.id == row.id and again.changed_at > before
    assert (again.at, again.day, again.campaign, again.created_by) == (
        "17:00",
        "today",
        "cmp-hn-01",
        "U1",
    )
    assert await store.claim(row.id, "2026-04-21") is None  # no second post today
    last = await store.last_run(row.id)
    assert last is not None and (last.state, last.message_ts) == ("posted", "1.2")


async def test_unsubscribing_removes_the_row_and_its_runs(open_store):
    store = open_store()
    row, _ = await store.subscribe(Schedule("C1", "aicc", "08:00"), "U1")
    await store.claim(row.id, "2026-04-21")
    assert await store.unsubscribe("C1") is not None
    assert await store.for_channel("C1") is None and await store.runs(row.id) == []
    assert await store.unsubscribe("C1") is None
