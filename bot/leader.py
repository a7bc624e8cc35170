"""Which replica runs the scheduled work (batch sending, Alohub polling, daily summaries).

On PostgreSQL the leader is whichever replica holds a session-level advisory lock
(``pg_try_advisory_lock``) on a connection of its own, outside the pool. Every
``check_seconds`` the leader asks that connection a trivial question, off the event loop;
an error, or no answer within ``check_timeout``, means the session (and with it the lock)
may be gone, and the replica stops its scheduled work at once (``on_lost`` runs first
thing). The others try to take the lock every ``check_seconds``.

Never two leaders: a leader learns it lost its lock at most ``check_seconds +
check_timeout`` after the server dropped it (its connection cut or terminated). A replica
that takes the lock therefore waits ``fence_seconds``, longer than that, before it starts
anything, keeping its own lock checked meanwhile. Timing alone cannot fence off a leader
whose loop stalls longer than that, so the database does too: in the transaction that
takes the lock the replica increments the leader epoch (``bot.store.fence``), and every
write of the scheduled work checks, in its own transaction, that its epoch is still the
current one; a deposed leader's writes are refused, whenever it wakes.

A leader that dies (SIGKILL) closes its socket and the server frees the lock at once;
behind a network cut, the server's TCP keepalives (set on the lock session) free it
within ``KEEPALIVE`` seconds. Either way another replica leads within ``check_seconds +
fence_seconds`` (+ keepalives): well under 30 s.

SQLite has no server to arbitrate: the bot runs as one replica, always the leader, and an
exclusive lock on a file next to the database keeps a second process on the same file
from running scheduled work too (it says so, serves Slack, and leads if the first exits).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import make_url
from sqlalchemy.engine import Engine

from bot.store.fence import Fence, take_epoch

log = logging.getLogger(__name__)

# Any number of ours, the same for every callops process on the server (``migrate`` uses
# another one, 0x63616C6C, for the schema).
LEADER_KEY = 0x6C656164  # "lead"
# Server-side TCP keepalives of the lock session: idle, interval, count (seconds, probes).
KEEPALIVE = (5, 2, 3)

Elected = Callable[[], Awaitable[None]]
Lost = Callable[[bool], Awaitable[None]]  # graceful: True when stopping, False when lost


class Leadership(Protocol):
    """Elects this replica (or not) and tells the runtime when it leads and when it stops."""

    @property
    def leader(self) -> bool: ...

    async def start(self, on_elected: Elected, on_lost: Lost) -> None: ...

    async def close(self) -> None: ...


def leadership_for(engine: Engine, fence: Fence | None = None) -> Leadership:
    """The election that fits the database behind ``engine`` (``fence``: the store's)."""
    if engine.dialect.name == "postgresql":
        return PostgresLeadership(engine, fence=fence)
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        return SqliteLeadership(None)
    return SqliteLeadership(Path(f"{database}.leader.lock"))


class PostgresLeadership:
    """The advisory lock ``LEADER_KEY`` on a dedicated connection (see the module docstring)."""

    check_seconds = 2.0
    check_timeout = 2.0
    fence_seconds = 5.0  # > check_seconds + check_timeout

    def __init__(
        self, engine: Engine, key: int = LEADER_KEY, *, fence: Fence | None = None
    ) -> None:
        self._engine = engine
        self._key = key
        # The epoch taken with the lock goes here once this replica leads.
        self.fence = fence if fence is not None else Fence()
        self._taken: int | None = None
        self._holder = f"{socket.gethostname()[:40]}:{os.getpid()}"
        self._connection: Any = None  # a psycopg connection (autocommit), or None
        self._leader = False
        self._task: asyncio.Task[None] | None = None
        self._on_elected: Elected | None = None
        self._on_lost: Lost | None = None
        self._abandoned: set[asyncio.Future[None]] = set()

    @property
    def leader(self) -> bool:
        """True while this replica runs the scheduled work."""
        return self._leader

    async def start(self, on_elected: Elected, on_lost: Lost) -> None:
        """Campaign in the background for as long as the replica runs."""
        self._on_elected, self._on_lost = on_elected, on_lost
        self._task = asyncio.get_running_loop().create_task(self._campaign(), name="leadership")

    async def close(self) -> None:
        """Stop campaigning; stop the scheduled work if leading; free the lock."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self._step_down(graceful=True)
        if self._connection is not None:
            await asyncio.to_thread(self._release, self._connection)
            self._connection = None

    async def _campaign(self) -> None:
        while True:
            if await self._ask(self._try_lock):
                log.info("leader lock taken; scheduled work starts in %.0f s", self.fence_seconds)
                if await self._hold(self.fence_seconds):
                    self._leader = True
                    self.fence.epoch = self._taken
                    log.info(
                        "this replica is the leader (epoch %s): it runs the scheduled work",
                        self._taken,
                    )
                    assert self._on_elected is not None
                    await self._on_elected()
                    await self._hold(None)
                    await self._step_down(graceful=False)
                else:
                    log.warning("leader lock lost before scheduled work started")
            await asyncio.sleep(self.check_seconds)

    async def _hold(self, seconds: float | None) -> bool:
        """Check the lock every ``check_seconds`` for ``seconds`` (None: until lost); True
        if it was held throughout."""
        loop = asyncio.get_running_loop()
        until = None if seconds is None else loop.time() + seconds
        while until is None or loop.time() < until:
            left = self.check_seconds if until is None else until - loop.time()
            await asyncio.sleep(max(min(self.check_seconds, left), 0.0))
            if not await self._ask(self._ping):
                return False
        return True

    async def _step_down(self, *, graceful: bool) -> None:
        if not self._leader:
            return
        self._leader = False
        if not graceful:
            log.warning("leader lock lost: this replica stops its scheduled work now")
        assert self._on_lost is not None
        await self._on_lost(graceful)

    async def _ask(self, question: Callable[[], bool]) -> bool:
        """``question`` on the lock connection, off the loop; False on error or no answer."""
        work = asyncio.ensure_future(asyncio.to_thread(question))
        try:
            return await asyncio.wait_for(asyncio.shield(work), self.check_timeout)
        except TimeoutError:
            log.warning("the leader lock's connection did not answer in %.0f s", self.check_timeout)
        except Exception as error:
            log.warning("the leader lock's connection failed: %s", type(error).__name__)
        # A hung or broken session: forget it (a new one is opened at the next attempt);
        # the thread still waiting on it closes it when it returns.
        connection, self._connection = self._connection, None
        if connection is not None:
            done = asyncio.ensure_future(asyncio.to_thread(_after, work, connection))
            self._abandoned.add(done)
            done.add_done_callback(self._abandoned.discard)
        return False

    # On a worker thread

    def _try_lock(self) -> bool:
        """Take the lock and, in the same transaction, the next leader epoch."""
        if self._connection is None:
            self._connection = self._connect()
        connection = self._connection
        with connection.transaction():
            row = connection.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()
            if not (row and row[0]):
                return False
            # (A failure here drops the connection, and with it the session's lock.)
            self._taken = take_epoch(connection, self._holder)
        return True

    def _ping(self) -> bool:
        if self._connection is None:
            return False
        # The lock lives as long as the session: a session that answers still holds it.
        self._connection.execute("SELECT 1").fetchone()
        return True

    def _connect(self) -> Any:
        """A connection of its own (not from the pool), with server-side keepalives."""
        dialect = self._engine.dialect
        args, kwargs = dialect.create_connect_args(self._engine.url)
        connection = dialect.loaded_dbapi.connect(*args, **kwargs)
        connection.autocommit = True
        idle, interval, count = KEEPALIVE
        connection.execute(f"SET tcp_keepalives_idle = {idle}")
        connection.execute(f"SET tcp_keepalives_interval = {interval}")
        connection.execute(f"SET tcp_keepalives_count = {count}")
        return connection

    def _release(self, connection: Any) -> None:
        with contextlib.suppress(Exception):
            connection.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
        with contextlib.suppress(Exception):
            connection.close()


def _after(work: asyncio.Future[Any], connection: Any) -> None:
    """Close an abandoned connection (from a worker thread)."""
    with contextlib.suppress(Exception):
        connection.close()


class SqliteLeadership:
    """One replica on SQLite: an exclusive ``flock`` on ``path`` (None: in memory, no file)."""

    retry_seconds = 5.0

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._fd: int | None = None
        self._leader = False
        self._task: asyncio.Task[None] | None = None
        self._on_lost: Lost | None = None

    @property
    def leader(self) -> bool:
        """True while this process runs the scheduled work."""
        return self._leader

    async def start(self, on_elected: Elected, on_lost: Lost) -> None:
        """Lead at once (the usual case) or, when another process holds the file, wait."""
        self._on_lost = on_lost
        if self._lock():
            log.info("SQLite: this bot runs as the only replica and leads the scheduled work")
            self._leader = True
            await on_elected()
            return
        log.warning(
            "SQLite: another callops process runs on %s; this one answers Slack but runs no "
            "scheduled work (SQLite allows one replica; use PostgreSQL for more)",
            self._path,
        )
        self._task = asyncio.get_running_loop().create_task(self._wait(on_elected))

    async def _wait(self, on_elected: Elected) -> None:
        while True:
            await asyncio.sleep(self.retry_seconds)
            if self._lock():
                break
        log.info("SQLite: the other process ended; this one now runs the scheduled work")
        self._leader = True
        await on_elected()

    async def close(self) -> None:
        """Stop the scheduled work and free the file."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._leader:
            self._leader = False
            assert self._on_lost is not None
            await self._on_lost(True)
        if self._fd is not None:
            os.close(self._fd)  # frees the lock
            self._fd = None

    def _lock(self) -> bool:
        if self._path is None:
            return True
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True
