"""The outbox's rows (``bot.outbox``): enqueue, coalesce, claim, settle.

Each state change is one transaction. A row is claimed (``sending``, committed) before its
Slack call, by a compare-and-set that only one replica can win; it is marked ``sent`` with
the message's ts right after Slack's answer. A claim older than ``stale`` is taken to be
a dead sender's and may be claimed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.db import Store, reads, writes
from bot.store.models import OutboxMessage, utcnow

Blocks = list[dict[str, Any]] | None


@dataclass(frozen=True, slots=True)
class Enqueued:
    """The row a post or an update went to; ``restated`` when a keyed post joined a message
    already claimed or sent with other words (the caller updates it to the new ones)."""

    id: int
    restated: bool = False


class OutboxStore:
    """The outbox table for ``bot.outbox``; every method runs on the store's threads."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lanes = store.lanes

    # Enqueueing (any replica)

    @writes
    def enqueue_post(
        self,
        channel: str,
        text: str,
        blocks: Blocks,
        *,
        thread_ts: str | None = None,
        key: str | None = None,
    ) -> Enqueued:
        """A new message; with ``key``, the message of that key (pending: its words replaced)."""
        for _ in range(2):  # a second try when another replica inserted the key meanwhile
            try:
                with self.store.session() as session:
                    return self._post(session, channel, text, blocks, thread_ts, key)
            except IntegrityError:
                continue
        raise RuntimeError(f"could not enqueue the post {key}")

    def _post(
        self,
        session: Session,
        channel: str,
        text: str,
        blocks: Blocks,
        thread_ts: str | None,
        key: str | None,
    ) -> Enqueued:
        if key is not None:
            # One conditional UPDATE: a row claimed meanwhile no longer matches (PostgreSQL
            # checks the condition again once the claim commits), so a sender never sends
            # older words than the ones it marks sent.
            taken = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.key == key, OutboxMessage.state == "pending")
                .values(text=text, blocks=blocks, thread_ts=thread_ts)
                .returning(OutboxMessage.id)
            ).first()
            if taken is not None:
                return Enqueued(taken[0])
            row = session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).first()
            if row is not None:
                return Enqueued(row.id, restated=(row.text, row.blocks) != (text, blocks))
        row = OutboxMessage(
            channel=channel, kind="post", text=text, blocks=blocks, thread_ts=thread_ts, key=key
        )
        session.add(row)
        session.flush()
        return Enqueued(row.id)

    @writes
    def enqueue_update(self, channel: str, ts: str, text: str, blocks: Blocks) -> int:
        """Replace a message: a pending update of the same message takes the new words (one
        conditional UPDATE, as a keyed post: never the words of a row being sent)."""
        with self.store.session() as session:
            taken = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.state == "pending",
                    OutboxMessage.kind == "update",
                    OutboxMessage.channel == channel,
                    OutboxMessage.ts == ts,
                )
                .values(text=text, blocks=blocks)
                .returning(OutboxMessage.id)
            ).all()
            if taken:
                # Two updates stored at once (PostgreSQL: neither saw the other's row) left
                # two rows; they now carry the same words: one is enough.
                first, *others = sorted(int(row_id) for (row_id,) in taken)
                if others:
                    session.execute(
                        delete(OutboxMessage).where(
                            OutboxMessage.id.in_(others), OutboxMessage.state == "pending"
                        )
                    )
                return first
            row = OutboxMessage(channel=channel, kind="update", ts=ts, text=text, blocks=blocks)
            session.add(row)
            session.flush()
            return row.id

    # Sending (the leader)

    @reads
    def channels_due(self, me: str, stale: datetime) -> list[str]:
        """The channels with a row to send (pending, or a dead sender's claim)."""
        with self.store.session() as session:
            query = select(OutboxMessage.channel).where(_open(me, stale)).distinct()
            return list(session.scalars(query))

    @reads
    def head(self, channel: str, me: str, stale: datetime) -> OutboxMessage | None:
        """The channel's oldest row to send: messages leave a channel in order."""
        with self.store.session() as session:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.channel == channel, _open(me, stale))
                .order_by(OutboxMessage.id)
                .limit(1)
            )
            return session.scalars(query).first()

    @writes
    def claim(self, row_id: int, me: str, stale: datetime) -> OutboxMessage | None:
        """Mark a row ``sending`` for ``me``; None when another sender has it or it is settled.

        One ``UPDATE … WHERE`` decides, so two replicas never both win a row.
        """
        now = utcnow()
        with self.store.session() as session:
            won = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, _open(me, stale))
                .values(state="sending", claimed_by=me, claimed_at=now)
            )
            if getattr(won, "rowcount", 0) != 1:
                return None
            return session.get(OutboxMessage, row_id)

    @writes
    def sent(self, row_id: int, ts: str) -> None:
        """Slack has the message: done, with its ts."""
        with self.store.session() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id)
                .values(state="sent", ts=ts, sent_at=utcnow(), error=None, not_before=None)
            )

    @writes
    def later(self, row_id: int, not_before: datetime, error: str, *, counts: bool) -> None:
        """Not sent this time: pending again, not before ``not_before``; ``counts`` when the
        try uses up one of the failures the row is allowed (a 429 does not)."""
        values: dict[str, Any] = {"state": "pending", "not_before": not_before, "error": error}
        if counts:
            values["attempts"] = OutboxMessage.attempts + 1
        with self.store.session() as session:
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values)
            )

    @writes
    def failed(self, row_id: int, error: str) -> None:
        """Given up: kept, with the error, for the log and for whoever reads the table; its
        key is freed so the message can be posted anew."""
        with self.store.session() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id)
                .values(state="failed", error=error, key=None, not_before=None)
            )

    # Reading and pruning

    @reads
    def row(self, row_id: int) -> OutboxMessage | None:
        """One row by id."""
        with self.store.session() as session:
            return session.get(OutboxMessage, row_id)

    @reads
    def rows(self, channel: str | None = None) -> Sequence[OutboxMessage]:
        """Every row (of a channel), oldest first (tests, diagnostics)."""
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channel is not None:
            query = query.where(OutboxMessage.channel == channel)
        with self.store.session() as session:
            return session.scalars(query).all()

    @writes
    def prune(self, before: datetime) -> int:
        """Forget the rows sent before ``before`` (failed ones stay for diagnosis)."""
        with self.store.session() as session:
            gone = session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.state == "sent", OutboxMessage.sent_at < before
                )
            )
            return int(getattr(gone, "rowcount", 0) or 0)


def _open(me: str, stale: datetime) -> Any:
    """Rows a sender may take: pending; claimed by ``me`` (a run of ours that was stopped);
    or claimed before ``stale`` (a sender that died)."""
    return or_(
        OutboxMessage.state == "pending",
        and_(
            OutboxMessage.state == "sending",
            or_(OutboxMessage.claimed_by == me, OutboxMessage.claimed_at < stale),
        ),
    )
