"""The database never runs on the event loop: the store's methods run on its own threads,
a slow write holds up neither the loop nor a read, SQLite writes wait their turn in order,
and the suite's guard catches a blocking call made on the loop's thread."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, text

from bot.store import AuditEntry, Store, open_store
from tests.harness import db_guard
from tests.harness.db_guard import BlockingDatabaseCall


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = open_store(database_url)  # start-up: migrations may run before the loop serves
    yield opened
    await opened.aclose()


def _audit(n: int) -> AuditEntry:
    return AuditEntry(user_id=f"U{n}", channel_id="C", command="/x", role="operator", outcome="ok")


async def test_a_blocking_call_on_the_loop_is_refused_and_recorded(store: Store) -> None:
    position = db_guard.mark()
    with pytest.raises(BlockingDatabaseCall), store.session() as session:
        session.execute(select(1))
    assert len(db_guard.refused_since(position)) == 1  # forgotten, so this test passes


async def test_the_store_methods_run_on_its_threads(store: Store) -> None:
    await store.audit(_audit(1))  # the guard would refuse it on the loop's thread
    names = await asyncio.gather(
        store.read(lambda: threading.current_thread().name),
        store.write(lambda: threading.current_thread().name),
    )
    assert all(name.startswith("callops-db") for name in names), names
    assert [e.user_id for e in await store.audit_entries()] == ["U1"]


async def test_a_slow_write_holds_up_neither_the_loop_nor_a_read(store: Store) -> None:
    await store.audit(_audit(0))
    started = threading.Event()

    def slow_write() -> None:
        with store.session() as session:
            session.add(_audit(1))
            session.flush()  # SQLite: the file's write lock is held from here
            started.set()
            time.sleep(1.0)

    writing = asyncio.create_task(store.write(slow_write))
    assert await asyncio.to_thread(started.wait, 10)
    began = time.monotonic()
    gaps = []
    for _ in range(20):
        tick = time.monotonic()
        await asyncio.sleep(0.01)
        gaps.append(time.monotonic() - tick)
    entries = await store.audit_entries()
    read_took = time.monotonic() - began
    assert not writing.done(), "the write still runs: what follows happened beside it"
    assert max(gaps) < 0.2, f"the loop stalled {max(gaps):.3f} s"
    assert [e.user_id for e in entries] == ["U0"], "a read sees the committed rows, at once"
    assert read_took < 0.8
    await writing
    assert [e.user_id for e in await store.audit_entries()] == ["U1", "U0"]


async def test_concurrent_writes_all_land_without_a_lock_timeout(store: Store) -> None:
    await asyncio.gather(*(store.audit(_audit(n)) for n in range(40)))
    assert len(await store.audit_entries(limit=100)) == 40


async def test_sqlite_writes_go_through_one_thread_and_reads_beside_it(tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/lanes.db")
    try:
        writers = await asyncio.gather(
            *(store.write(lambda: threading.current_thread().name) for _ in range(8))
        )
        assert len(set(writers)) == 1
        count = await store.read(_count_tables, store)
        assert count > 0
    finally:
        await store.aclose()


def _count_tables(store: Store) -> int:
    with store.session() as session:
        return len(session.execute(text("SELECT name FROM sqlite_master")).all())
