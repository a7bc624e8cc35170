"""Engine, sessions, schema creation, the threads the database work runs on, and the small
queries the commands need."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from functools import partial, wraps
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar, cast

from sqlalchemy import Table, create_engine, event, func, insert, make_url, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from bot.errors import DatabaseUnusable
from bot.store.fence import Fence
from bot.store.migrate import upgrade
from bot.store.models import AuditEntry, ConnectionCheck, Job, JobRow, utcnow

_CAMPAIGN_OPTION = re.compile(r"(?:^|\s)campaign=(\S+)")

# A server that drops packets would keep libpq waiting for minutes at start-up.
CONNECT_TIMEOUT = 10
# Threads reading a SQLite file at once (WAL: readers never wait on the writer).
SQLITE_READERS = 4
# PostgreSQL: threads for the store's work, and threads of their own for the writes an ack
# waits for (``Store.write_for_ack``), one pooled connection each, opened at start
# (``Store.connect_for_acks``). A burst of commands (200 operators pressing Enter at once,
# bench/load.py) is recorded a few statements at a time (``bot.store.grouped``: two flushes
# in flight), so four threads serve it and the other requests' Slack-retry checks; with a
# statement a command, a burst needed ten (with 3 the 100th ack waited ~1.4 s).
POSTGRES_THREADS = 5
POSTGRES_ACK_THREADS = 4
# A pooled PostgreSQL connection idle this long (seconds) is checked before use.
PING_IDLE = 1.0

P = ParamSpec("P")
R = TypeVar("R")


def make_engine(url: str, *, lone_statements: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and WAL (readers never wait on a writer).

    ``postgresql://`` means psycopg 3, the driver callops installs, whichever SQLAlchemy runs
    (2.0 would pick psycopg2, which is not installed; 2.1 picks psycopg itself).

    ``lone_statements`` (PostgreSQL): the engine of ``Store.statement``, whose sessions each
    run one statement, committed as it runs (autocommit: no BEGIN and COMMIT round trips)
    without waiting for the commit's WAL flush to disk (``synchronous_commit=off``). What
    that risks is PostgreSQL's own crash losing the last fraction of a second of those
    commits, never a half-written row; a replica's death loses nothing.
    """
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=StaticPool if memory else None,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql":
        connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT}
        options: dict[str, Any] = {}
        if lone_statements:
            connect_args["options"] = "-c synchronous_commit=off"
            options["isolation_level"] = "AUTOCOMMIT"
        # As many pooled connections as the store has threads: a connection past the
        # pool's size is closed when it is given back, and opened anew the next time.
        size = POSTGRES_THREADS + POSTGRES_ACK_THREADS
        engine = create_engine(parsed, pool_size=size, connect_args=connect_args, **options)
        _ping_when_idle(engine)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection with a trivial query before use when it sat idle for
    ``PING_IDLE`` or longer: one left from before a server restart or a cut is replaced
    before the work given to it fails. SQLAlchemy's ``pool_pre_ping`` asks before every use:
    a round trip more for each transaction, a tenth of a busy replica's CPU. A busy pool's
    connections come back within milliseconds; should the server drop one meanwhile, the
    work on it fails once and SQLAlchemy then replaces every connection older than it."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < PING_IDLE:
            return  # just opened, or just used
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError() from error  # the pool opens another and checks it
        if not alive:
            raise DisconnectionError()


def open_store(url: str) -> Store:
    """The store at ``url``, connected and migrated; ``DatabaseUnusable`` says why it cannot be.

    Start-up calls this so that a wrong setting stops the bot with one sentence, not a
    traceback from the first command that touches the database.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise DatabaseUnusable("malformed") from None
    try:
        store = Store(url)
    except (NoSuchModuleError, ModuleNotFoundError):
        raise DatabaseUnusable("driver", driver=parsed.drivername) from None
    except (ArgumentError, ValueError, TypeError):
        raise DatabaseUnusable("malformed") from None
    try:
        store.create_schema()
    except DBAPIError as exc:
        store.close()
        raise _unusable(parsed, exc) from None
    return store


def _unusable(url: URL, exc: DBAPIError) -> DatabaseUnusable:
    """Which part of the setting the server or SQLite refused, from the driver's message."""
    text = str(exc.orig)
    if url.get_backend_name() == "sqlite":
        if "unable to open database file" in text:
            return DatabaseUnusable("no_file", name=url.database or "")
        return DatabaseUnusable("refused", error=type(exc.orig).__name__)
    where = {"host": url.host or "localhost", "port": url.port or 5432}
    # libpq's words (connection errors carry no SQLSTATE); checked in tests/test_database_cli.py
    if "password authentication failed" in text or ('role "' in text and "does not exist" in text):
        return DatabaseUnusable("auth", user=url.username or "", **where)
    if 'database "' in text and "does not exist" in text:
        return DatabaseUnusable("no_database", name=url.database or "", **where)
    unreachable = (
        "Connection refused",
        "could not translate host name",
        "timeout expired",
        "No route to host",
        "Network is unreachable",
        "Name or service not known",
        "could not connect",
    )
    if any(words in text for words in unreachable):
        return DatabaseUnusable("unreachable", **where)
    return DatabaseUnusable("refused", error=type(exc.orig).__name__)


_AUDIT = insert(cast(Table, AuditEntry.__table__))


class Lanes:
    """The threads the store's blocking work runs on: one lane for reads, one for writes,
    and one for the writes a Slack ack waits for.

    SQLite takes one writer at a time: its writes go through a single thread, so they queue
    here, in order, instead of waiting on the file lock (up to the 30 s busy timeout) inside
    the driver; reads run beside them on a few threads (WAL). An in-memory SQLite database is
    one shared connection: everything goes through one thread. PostgreSQL takes concurrent
    writers: one pool of threads serves reads and writes, and a few threads of their own
    take the writes before an ack (the Slack-retry check, the record of a command), so that
    an ack never waits in line behind the work done after acks (answers' audit rows, job
    batches): under load that line is the ack's latency.
    """

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name == "sqlite":
            self.writer = ThreadPoolExecutor(1, thread_name_prefix="callops-db-write")
            memory = isinstance(engine.pool, StaticPool)
            self.reader = (
                self.writer
                if memory
                else ThreadPoolExecutor(SQLITE_READERS, thread_name_prefix="callops-db-read")
            )
            self.acking = self.writer
        else:
            self.writer = self.reader = ThreadPoolExecutor(
                POSTGRES_THREADS, thread_name_prefix="callops-db"
            )
            self.acking = ThreadPoolExecutor(
                POSTGRES_ACK_THREADS, thread_name_prefix="callops-db-ack"
            )

    async def read(self, work: Callable[[], R]) -> R:
        """Run ``work`` on a reading thread; the event loop goes on meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(self.reader, work)

    async def write(self, work: Callable[[], R]) -> R:
        """Run ``work`` on the writing lane; the event loop goes on meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(self.writer, work)

    async def write_for_ack(self, work: Callable[[], R]) -> R:
        """Run ``work``, which an ack waits for, on the lane of its own (SQLite: the writer)."""
        return await asyncio.get_running_loop().run_in_executor(self.acking, work)

    def shutdown(self) -> None:
        """Let the threads end once the work given to them is done."""
        self.acking.shutdown(wait=True)
        self.writer.shutdown(wait=True)
        self.reader.shutdown(wait=True)


class OnLanes(Protocol):
    """Anything whose database methods run on a store's lanes."""

    lanes: Lanes


S = TypeVar("S", bound=OnLanes)


def reads(
    method: Callable[Concatenate[S, P], R],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R]]:
    """Make a blocking query method ``async``: it runs on the store's reading threads."""

    @wraps(method)
    async def on_thread(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.lanes.read(partial(method, self, *args, **kwargs))

    return on_thread


def writes(
    method: Callable[Concatenate[S, P], R],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R]]:
    """Make a blocking method that writes ``async``: it runs on the store's writing lane."""

    @wraps(method)
    async def on_thread(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.lanes.write(partial(method, self, *args, **kwargs))

    return on_thread


class Store:
    """The bot's database.

    Its query methods are ``async``: each runs its ordinary, synchronous SQLAlchemy code on a
    thread of the store (``Lanes``), so no database call ever blocks the event loop that acks
    Slack. We chose this one executor boundary over SQLAlchemy's asyncio extension because:
    a transaction stays a plain ``with session.begin()`` block (the job engine's claims and
    settles are several statements in one transaction, and a 200,000-row job is inserted
    from a generator while the file is read), the code is the same on SQLite and PostgreSQL
    with the drivers already installed (no aiosqlite, no second engine for Alembic), and
    SQLite's writes are serialized on one thread rather than racing for the file lock.
    Objects come back detached (``expire_on_commit=False``) and have no lazy relationships,
    so reading their fields on the loop touches no database.

    ``open_store``/``create_schema`` (migrations) stay synchronous: they run at start, before
    anything is served. ``session()`` is for code already on a store thread (the methods
    below, or work handed to ``read``/``write``).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has no round trips to save, nor a server of its own to wait for.
        self._statement_engine = (
            make_engine(url, lone_statements=True)
            if self.engine.dialect.name == "postgresql"
            else None
        )
        self._statements = (
            sessionmaker(self._statement_engine, expire_on_commit=False)
            if self._statement_engine is not None
            else self._sessions
        )
        self.lanes = Lanes(self.engine)
        # The leader's epoch: scheduled work's writes check it (``bot.store.fence``).
        self.fence = Fence()

    def connect_for_acks(self) -> None:
        """Open the connections the lane for acks uses (PostgreSQL), so that the first burst
        of commands after a start does not wait for them to be opened one by one. Blocking:
        ``Bot.start_background`` runs it on the lane for acks.
        """
        if self._statement_engine is None:
            return
        with ExitStack() as opened:
            for _ in range(POSTGRES_ACK_THREADS):
                opened.enter_context(self._statement_engine.connect())

    def create_schema(self) -> None:
        """Create the tables, or migrate them to this version's schema (run at start)."""
        upgrade(self.engine)

    async def read(self, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run blocking database work that only reads on a store thread."""
        return await self.lanes.read(partial(work, *args, **kwargs))

    async def write(self, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run blocking database work that writes on the store's writing lane."""
        return await self.lanes.write(partial(work, *args, **kwargs))

    async def write_for_ack(self, work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run blocking database work that writes and that a Slack ack waits for: on the
        lane of its own (``Lanes``), never queued behind the work after acks."""
        return await self.lanes.write_for_ack(partial(work, *args, **kwargs))

    def ping(self) -> None:
        """Ask the database one trivial question (health checks, from a worker thread of
        their own, so a busy store still answers whether the database does); raises when
        it cannot."""
        with self.engine.connect() as connection:
            connection.execute(select(1))

    def close(self) -> None:
        """Release the connection pool and the threads (from synchronous code)."""
        self.lanes.shutdown()
        self.engine.dispose()
        if self._statement_engine is not None:
            self._statement_engine.dispose()

    async def aclose(self) -> None:
        """Release the connection pool and the threads without blocking the loop."""
        await asyncio.to_thread(self.close)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def statement(self) -> Iterator[Session]:
        """A session for work that is one statement (an insert, an update, an upsert), which
        PostgreSQL commits as it runs it, without waiting for the disk (``make_engine``'s
        ``lone_statements``): one round trip instead of three (BEGIN, the statement, COMMIT)
        and no WAL flush to wait for. Never for two statements that must stand or fall
        together, nor for a job's rows and batches: use ``session`` for those. The writes
        each command makes use it: the Slack-retry check and the command's record before
        its ack, its mark done and its audit row after."""
        with self._statements() as session, session.begin():
            yield session

    # Audit

    @writes
    def audit(self, entry: AuditEntry) -> None:
        """Record one command or action."""
        # One per command: a Core insert built once, the entry's values its parameters
        # (the ORM's unit of work, or a statement built each time, costs more CPU than
        # the round trip).
        values = {
            column.key: value
            for column in _AUDIT.table.columns
            if (value := getattr(entry, column.key)) is not None
        }
        with self.statement() as session:
            session.connection().execute(_AUDIT, values)

    @reads
    def audit_entries(self, limit: int = 50) -> Sequence[AuditEntry]:
        """The latest audit entries, newest first."""
        with self.session() as session:
            query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            return session.scalars(query).all()

    # Jobs (read side; the job engine owns the write side)

    @reads
    def job(self, job_id: int) -> Job | None:
        """One job by number."""
        with self.session() as session:
            return session.get(Job, job_id)

    @reads
    def recent_jobs(
        self, *, channel: str | None = None, creator: str | None = None, limit: int = 10
    ) -> Sequence[Job]:
        """The latest jobs of a channel or of a user, newest first."""
        query = select(Job).order_by(Job.id.desc()).limit(limit)
        if channel:
            query = query.where(Job.channel == channel)
        if creator:
            query = query.where(Job.creator == creator)
        with self.session() as session:
            return session.scalars(query).all()

    @reads
    def recent_campaigns(self, channel: str, *, limit: int = 6) -> list[tuple[str, str]]:
        """``(connection, campaign)`` this channel used lately, newest first, each once.

        No provider lists its campaigns, so the ids come from what the channel did: its
        import jobs (except those that failed) and the commands that named a campaign and
        went through (``campaign=…`` in the audit text).
        """
        jobs = (
            select(Job.created_at, Job.connection, Job.campaign)
            .where(Job.channel == channel, Job.state != "failed", Job.campaign != "")
            .order_by(Job.id.desc())
            .limit(limit * 4)
        )
        commands = (
            select(AuditEntry.at, AuditEntry.connection, AuditEntry.command)
            .where(
                AuditEntry.channel_id == channel,
                AuditEntry.outcome == "ok",
                AuditEntry.connection.is_not(None),
                AuditEntry.command.contains("campaign="),
            )
            .order_by(AuditEntry.id.desc())
            .limit(limit * 4)
        )
        with self.session() as session:
            used = [(at, conn, campaign) for at, conn, campaign in session.execute(jobs)]
            for at, conn, command in session.execute(commands):
                match = _CAMPAIGN_OPTION.search(command)
                if match and conn:
                    used.append((at, conn, match.group(1)))
        used.sort(key=lambda item: item[0], reverse=True)
        seen = dict.fromkeys((conn, campaign) for _, conn, campaign in used)
        return list(seen)[:limit]

    @reads
    def job_counts(self, job_id: int) -> dict[str, int]:
        """How many rows of a job are in each state."""
        query = (
            select(JobRow.state, func.count()).where(JobRow.job_id == job_id).group_by(JobRow.state)
        )
        with self.session() as session:
            return {state: count for state, count in session.execute(query).all()}

    @reads
    def jobs_counts(self, job_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Rows per state of several jobs (the ``/job`` list), in one query."""
        query = (
            select(JobRow.job_id, JobRow.state, func.count())
            .where(JobRow.job_id.in_(list(job_ids)))
            .group_by(JobRow.job_id, JobRow.state)
        )
        counts: dict[int, dict[str, int]] = {job_id: {} for job_id in job_ids}
        with self.session() as session:
            for job_id, state, count in session.execute(query).all():
                counts[job_id][state] = count
        return counts

    @reads
    def rejection_reasons(self, job_id: int, limit: int = 3) -> list[tuple[str | None, int]]:
        """The most frequent reasons of a job's rejected rows, with their counts."""
        count = func.count().label("count")
        query = (
            select(JobRow.reason, count)
            .where(JobRow.job_id == job_id, JobRow.state == "rejected")
            .group_by(JobRow.reason)
            .order_by(count.desc(), JobRow.reason)
            .limit(limit)
        )
        with self.session() as session:
            return [(reason, n) for reason, n in session.execute(query).all()]

    # Connection checks

    @writes
    def record_check(self, connection: str, ok: bool, reason: str | None) -> None:
        """Remember the last credential check of a connection."""
        with self.session() as session:
            session.merge(
                ConnectionCheck(connection=connection, ok=ok, reason=reason, checked_at=utcnow())
            )

    @reads
    def checks(self) -> dict[str, ConnectionCheck]:
        """The last check of every connection checked so far."""
        with self.session() as session:
            return {c.connection: c for c in session.scalars(select(ConnectionCheck))}
