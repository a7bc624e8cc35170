"""The PostgreSQL pool: a connection idle for a while is checked before use and replaced when
the server dropped it; the writes an ack waits for have threads of their own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from bot.store import db
from bot.store.db import Store
from bot.store.models import AuditEntry
from tests.store.conftest import _postgres_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _postgres_database()


def _drop_every_connection(url: str) -> None:
    """What a server restart does to the store's pooled connections."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    finally:
        engine.dispose()


def _one(store: Store) -> int:
    with store.session() as session:
        return int(session.execute(select(1)).scalar_one())


def test_an_idle_connection_dropped_by_the_server_is_replaced_before_use(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
):
    store = Store(pg_url)
    try:
        assert _one(store) == 1  # one pooled connection, now idle
        _drop_every_connection(pg_url)
        monkeypatch.setattr(db, "PING_IDLE", 0.0)  # it has been idle long enough
        assert _one(store) == 1
    finally:
        store.close()


def test_a_busy_connection_is_not_asked_before_each_use(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
):
    store = Store(pg_url)
    try:
        assert _one(store) == 1
        _drop_every_connection(pg_url)
        monkeypatch.setattr(db, "PING_IDLE", 3600.0)  # just used: no round trip to check it
        with pytest.raises(OperationalError):
            _one(store)
        assert _one(store) == 1  # and the pool replaced it
    finally:
        store.close()


async def test_the_writes_an_ack_waits_for_do_not_queue_behind_the_other_writes(pg_url: str):
    store = Store(pg_url)
    release = threading.Event()
    try:
        # Every thread of the store's lane is busy (a slow batch of writes, say).
        busy = [
            asyncio.ensure_future(store.write(release.wait, 30))
            for _ in range(db.POSTGRES_THREADS + 1)
        ]
        assert await asyncio.wait_for(store.write_for_ack(_one, store), timeout=10) == 1
        release.set()
        await asyncio.gather(*busy)
    finally:
        release.set()
        await store.aclose()


def test_lone_statements_commit_as_they_run_without_waiting_for_the_disk(pg_url: str):
    store = Store(pg_url)
    try:
        store.create_schema()
        with store.statement() as session:
            assert session.execute(text("SHOW synchronous_commit")).scalar() == "off"
            session.add(
                AuditEntry(
                    user_id="U1", channel_id="C1", command="/x", role="operator", outcome="ok"
                )
            )
        with store.session() as session:  # a job's rows and batches: durable before it returns
            assert session.execute(text("SHOW synchronous_commit")).scalar() == "on"
        other = create_engine(pg_url)
        try:
            with other.connect() as connection:  # committed: every replica sees it at once
                assert connection.execute(text("SELECT count(*) FROM audit")).scalar() == 1
        finally:
            other.dispose()
    finally:
        store.close()
