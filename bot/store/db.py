"""Engine, sessions, schema creation, and the small queries the commands need."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from bot.store.migrate import upgrade
from bot.store.models import AuditEntry, ConnectionCheck, Job, JobRow, utcnow

_CAMPAIGN_OPTION = re.compile(r"(?:^|\s)campaign=(\S+)")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and WAL (readers never wait on a writer)."""
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
    return create_engine(url, pool_pre_ping=True)


class Store:
    """The bot's database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def create_schema(self) -> None:
        """Create the tables, or migrate them to this version's schema (run at start)."""
        upgrade(self.engine)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    # Audit

    def audit(self, entry: AuditEntry) -> None:
        """Record one command or action."""
        with self.session() as session:
            session.add(entry)

    def audit_entries(self, limit: int = 50) -> Sequence[AuditEntry]:
        """The latest audit entries, newest first."""
        with self.session() as session:
            query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            return session.scalars(query).all()

    # Jobs (read side; the job engine owns the write side)

    def job(self, job_id: int) -> Job | None:
        """One job by number."""
        with self.session() as session:
            return session.get(Job, job_id)

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

    def job_counts(self, job_id: int) -> dict[str, int]:
        """How many rows of a job are in each state."""
        query = (
            select(JobRow.state, func.count()).where(JobRow.job_id == job_id).group_by(JobRow.state)
        )
        with self.session() as session:
            return {state: count for state, count in session.execute(query).all()}

    # Connection checks

    def record_check(self, connection: str, ok: bool, reason: str | None) -> None:
        """Remember the last credential check of a connection."""
        with self.session() as session:
            session.merge(
                ConnectionCheck(connection=connection, ok=ok, reason=reason, checked_at=utcnow())
            )

    def checks(self) -> dict[str, ConnectionCheck]:
        """The last check of every connection checked so far."""
        with self.session() as session:
            return {c.connection: c for c in session.scalars(select(ConnectionCheck))}
