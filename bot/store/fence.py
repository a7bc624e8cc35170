"""The leader's fencing token: scheduled work's writes are refused once another replica leads.

``bot.leader`` elects one replica through a PostgreSQL advisory lock, and a replica that
takes the lock increments the one row of ``leader_epochs`` in the same transaction
(``take_epoch``). The leader keeps that number in its ``Fence``; every write of the
scheduled work (a batch claimed before it is sent, a batch's outcome, a job's end, a
summary run claimed) reads the row ``FOR SHARE`` in its own transaction and is refused
(``Deposed``) when the number moved. A leader whose loop stalled past its lock (it has not
noticed yet) can therefore change nothing the new leader relies on; the row lock orders
the two, as the new leader's increment waits for a write under way and any later write
sees the new number.

Not leading yet, or on SQLite (one replica, a file lock: ``bot.leader``), the fence is
open (``epoch`` None).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import LeaderEpoch

# The only row of leader_epochs.
ROW = 1


class Deposed(Exception):
    """Another replica leads now: this write of the scheduled work was refused.

    Outside ``bot.errors``: no operator ever reads it. The scheduled work that meets it
    (job runs, summaries, alerts) stops quietly with a warning; the new leader resumes it.
    """

    def __init__(self, held: int, current: int | None) -> None:
        super().__init__(f"leader epoch {held} is over (the database is at {current})")
        self.held, self.current = held, current


class Fence:
    """The leader epoch this replica holds (None: the fence is open)."""

    def __init__(self) -> None:
        self.epoch: int | None = None

    def check(self, session: Session) -> None:
        """Within ``session``'s transaction: raise ``Deposed`` unless our epoch is current."""
        if self.epoch is None:
            return
        query = select(LeaderEpoch.epoch).where(LeaderEpoch.id == ROW).with_for_update(read=True)
        current = session.scalar(query)
        if current != self.epoch:
            raise Deposed(self.epoch, current)


# The statement a replica runs, in the transaction that took the leader lock, on the lock's
# own (psycopg) connection; returns the new epoch.
TAKE_EPOCH = (
    "INSERT INTO leader_epochs (id, epoch, holder, taken_at) VALUES (%s, 1, %s, now()) "
    "ON CONFLICT (id) DO UPDATE SET epoch = leader_epochs.epoch + 1, "
    "holder = EXCLUDED.holder, taken_at = EXCLUDED.taken_at RETURNING epoch"
)


def take_epoch(connection: Any, holder: str) -> int:
    """The next epoch, recorded as ``holder``'s (``connection``: a DB-API cursor or psycopg)."""
    row = connection.execute(TAKE_EPOCH, (ROW, holder[:64])).fetchone()
    return int(row[0])
