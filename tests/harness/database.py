"""Which database the end-to-end bots of the tests use: a SQLite file in the test's folder,
or, with ``CALLOPS_TEST_BOT_DATABASE=postgresql``, a fresh database on the PostgreSQL server
of ``CALLOPS_TEST_POSTGRES_URL`` (default 127.0.0.1:5432, user postgres).

A test's folder always maps to the same database, so a test that restarts its bot finds its
rows again; the databases made are dropped when the run ends.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from bot.summaries.service import REFRESH_ID
from tests.harness import db_guard

BOT_DATABASE = os.environ.get("CALLOPS_TEST_BOT_DATABASE", "sqlite")
POSTGRES = os.environ.get(
    "CALLOPS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
_made: list[str] = []

if BOT_DATABASE == "postgresql":
    # One bot per fresh database here: no other replica to fence off, so it leads at once
    # (the fence itself is tested with real replicas in tests/jobs/test_replicas.py).
    from bot.leader import PostgresLeadership

    PostgresLeadership.fence_seconds = 0.0


async def leading(bot: Any, within: float = 10.0) -> None:
    """Return once ``bot`` leads and its scheduled work has started: its summaries' triggers
    are in the scheduler and their catch-up (a fresh database: nothing due) has ended. At
    once on SQLite, whose election runs the start-up before ``start`` returns. On PostgreSQL
    the election runs in the background and the bot is ``leader`` *before* its start-up
    ends: a test that went on at the flag alone subscribed first, and the bot's own catch-up
    (on the real clock) then posted the summary the test meant to post with its own."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not (bot.runtime.leader and bot.runtime.scheduler.has(REFRESH_ID)):
        if loop.time() > deadline:
            raise AssertionError(f"the bot did not lead within {within}s")
        await asyncio.sleep(0.01)
    await bot.runtime.background.drain()


def bot_database_url(tmp_path: Path) -> str:
    """The URL of the database a test's bot uses (made on first use)."""
    if BOT_DATABASE != "postgresql":
        return f"sqlite:///{tmp_path}/callops.db"
    name = "callops_bot_" + hashlib.sha256(str(tmp_path).encode()).hexdigest()[:16]
    if name not in _made:
        try:
            with db_guard.allowed(), _admin() as connection:  # set-up, before the bot starts
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except OperationalError as exc:
            pytest.skip(f"no PostgreSQL at {POSTGRES.split('@')[-1]}: {type(exc.orig).__name__}")
        _made.append(name)
    return f"{POSTGRES.rsplit('/', 1)[0]}/{name}"


def drop_bot_databases() -> None:
    """Drop every database ``bot_database_url`` made in this process."""
    if not _made:
        return
    with _admin() as connection:
        while _made:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{_made.pop()}" WITH (FORCE)'))


@contextmanager
def _admin() -> Iterator[Connection]:
    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
