"""Acked work kept until answered: the ``pending_commands`` table (issue 17).

A replica records a slash command or button press here before it acks it, claimed by
itself, and marks it done once the answer is posted. The rows of a replica that died
stay undone; another replica (or the next start) claims them:

- on PostgreSQL, rows nobody claims or whose claim is older than ``stale_after`` (a live
  replica refreshes its claims, ``touch``), locked with ``FOR UPDATE SKIP LOCKED`` so two
  replicas never take the same row;
- on SQLite there is one replica: at start it takes every undone row of another claimer
  (a previous process of its own).

Rows received longer ago than Slack keeps a ``response_url`` (30 minutes) are not run
again: ``claim`` closes them and hands them back apart, to be audited as dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Insert, Table, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.db import Store
from bot.store.models import PendingCommand, utcnow

# Slack: "response_url … valid for up to 30 minutes" (api.slack.com/interactivity/handling).
RESPONSE_URL_LIFETIME = timedelta(minutes=30)
# Answered rows are kept a day (a trace of what was handed over), then deleted.
KEPT_FOR = timedelta(days=1)


_TABLE = cast(Table, PendingCommand.__table__)


@dataclass(frozen=True)
class _Statements:
    """A dialect's inserts of ``record_many``, built once."""

    record: Insert  # keyed rows: a repeat inserts nothing and returns nothing
    record_unkeyed: Insert


def _statements(insert: Callable[[Table], postgresql.Insert | sqlite.Insert]) -> _Statements:
    key = _TABLE.c.request_key
    return _Statements(
        record=insert(_TABLE)
        .on_conflict_do_nothing(index_elements=[key])
        .returning(_TABLE.c.id, key),
        record_unkeyed=insert(_TABLE).returning(_TABLE.c.id),
    )


_STATEMENTS = {"postgresql": _statements(postgresql.insert), "sqlite": _statements(sqlite.insert)}
_DONE = update(_TABLE).where(_TABLE.c.id == bindparam("pending_id")).values(done_at=bindparam("at"))


@dataclass(frozen=True)
class Acked:
    """A slash command or button press to record before its ack."""

    kind: str  # "command" or "action"
    body: dict[str, Any]  # what Slack sent, to run it again
    command: str
    team: str
    channel: str
    user: str
    request_key: str | None = None  # its own identity (``bot.slack.retries.request_key``)


@dataclass(frozen=True)
class Claimed:
    """What ``claim`` took: rows to run again, and rows too old to answer (now closed)."""

    runnable: Sequence[PendingCommand]
    expired: Sequence[PendingCommand]


class PendingStore:
    """The ``pending_commands`` table of a store, on behalf of one replica."""

    def __init__(self, store: Store, replica: str) -> None:
        self.store = store
        self.replica = replica

    @property
    def _postgres(self) -> bool:
        return self.store.engine.dialect.name == "postgresql"

    def record(
        self,
        kind: str,
        body: dict[str, Any],
        *,
        command: str,
        team: str,
        channel: str,
        user: str,
        request_key: str | None = None,
    ) -> int | None:
        """Keep one acked request (see ``record_many``); its id, or None for a repeat."""
        request = Acked(kind, body, command, team, channel, user, request_key)
        return self.record_many([request])[0]

    def record_many(self, requests: Sequence[Acked]) -> list[int | None]:
        """Keep acked requests, claimed by this replica: each one's id, in order, or None
        for a request whose ``request_key`` was recorded before (a Slack retry, on any
        replica, or a second copy in ``requests``).

        One statement for the keyed requests, ``INSERT … ON CONFLICT DO NOTHING RETURNING``
        (PostgreSQL and SQLite both have it): of two replicas recording the same key at
        once, PostgreSQL makes the second wait for the first's commit and then inserts
        nothing. Keys stay as long as their rows (``KEPT_FOR``); Slack retries within
        minutes. A request without a key (Slack always sends one) is inserted apart.
        """
        now = utcnow()
        rows = [self._row(request, now) for request in requests]
        ids: list[int | None] = [None] * len(requests)
        keyed = [n for n, row in enumerate(rows) if row["request_key"] is not None]
        statements = _STATEMENTS[self.store.engine.dialect.name]
        with self.store.statement() as session:
            connection = session.connection()
            if keyed:
                # Built once, its rows passed as parameters (SQLAlchemy sends them as one
                # multi-row INSERT): a third of the CPU of a statement built each time.
                recorded = connection.execute(statements.record, [rows[n] for n in keyed])
                taken = {key: int(id) for id, key in recorded}
                for n in keyed:  # the first copy of a key gets its row, any other None
                    ids[n] = taken.pop(rows[n]["request_key"], None)
            for n, row in enumerate(rows):
                if row["request_key"] is None:
                    ids[n] = int(connection.execute(statements.record_unkeyed, row).scalar_one())
        return ids

    async def write_for_ack(self, requests: Sequence[Acked]) -> list[int | None]:
        """``record_many`` on the store's lane for the writes an ack waits for."""
        return await self.store.write_for_ack(self.record_many, requests)

    def _row(self, request: Acked, now: datetime) -> dict[str, Any]:
        key = request.request_key
        return {
            "received_at": now,
            "kind": request.kind,
            "team_id": request.team[:32],
            "channel_id": request.channel[:32],
            "user_id": request.user[:32],
            "command": request.command,
            "body": request.body,
            "response_url": request.body.get("response_url") or None,
            "claimed_by": self.replica,
            "claimed_at": now,
            "request_key": key[:255] if key else None,
        }

    def done(self, pending_id: int) -> None:
        """The request was answered: never run it again."""
        with self.store.statement() as session:
            session.connection().execute(_DONE, {"pending_id": pending_id, "at": utcnow()})

    def touch(self) -> None:
        """Refresh this replica's claims so that others see it alive."""
        with self.store.session() as session:
            session.execute(
                update(PendingCommand)
                .where(PendingCommand.claimed_by == self.replica, PendingCommand.done_at.is_(None))
                .values(claimed_at=utcnow())
            )

    def release(self) -> int:
        """Hand this replica's unfinished rows over (a stop): unclaimed, still undone."""
        with self.store.session() as session:
            result = session.execute(
                update(PendingCommand)
                .where(PendingCommand.claimed_by == self.replica, PendingCommand.done_at.is_(None))
                .values(claimed_by=None, claimed_at=None)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def claim(
        self,
        *,
        stale_after: timedelta,
        at_start: bool,
        now: datetime | None = None,
        limit: int = 100,
    ) -> Claimed:
        """Take undone rows no live replica holds; close those past the response_url's life."""
        now = now or utcnow()
        query = select(PendingCommand).where(PendingCommand.done_at.is_(None))
        if self._postgres or not at_start:
            query = query.where(
                or_(
                    PendingCommand.claimed_by.is_(None),
                    PendingCommand.claimed_at < now - stale_after,
                )
            )
        else:
            # SQLite: one replica; at start every other claimer is a previous process.
            query = query.where(
                or_(PendingCommand.claimed_by.is_(None), PendingCommand.claimed_by != self.replica)
            )
        query = query.order_by(PendingCommand.id).limit(limit)
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        runnable: list[PendingCommand] = []
        expired: list[PendingCommand] = []
        with self.store.session() as session:
            for row in session.scalars(query).all():
                if now - row.received_at >= RESPONSE_URL_LIFETIME:
                    row.done_at = now
                    row.claimed_by = self.replica
                    expired.append(row)
                else:
                    row.claimed_by, row.claimed_at = self.replica, now
                    runnable.append(row)
        return Claimed(runnable, expired)

    def prune(self, *, kept_for: timedelta = KEPT_FOR) -> int:
        """Forget the rows answered (or dropped) longer ago than ``kept_for``."""
        with self.store.session() as session:
            result = session.execute(
                delete(PendingCommand).where(PendingCommand.done_at < utcnow() - kept_for)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def undone(self) -> Sequence[PendingCommand]:
        """Every row not answered yet (tests, operators)."""
        with self.store.session() as session:
            query = select(PendingCommand).where(PendingCommand.done_at.is_(None))
            return session.scalars(query.order_by(PendingCommand.id)).all()
