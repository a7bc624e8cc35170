"""Slack requests already taken, by their own ids: the first sight wins, on every replica.

One statement decides, ``INSERT … ON CONFLICT DO UPDATE … WHERE`` (an upsert PostgreSQL and
SQLite both have): it inserts the key, or takes it again when its row is older than
``keep``, and otherwise touches nothing. Of two replicas inserting the same key at once,
PostgreSQL makes the second wait for the first's commit and then finds the row; SQLite
serialises writers. One statement a request, committed as it runs (``Store.statement``);
old rows are pruned once a minute.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.db import Store
from bot.store.models import SlackRequestSeen

# Slack retries an unanswered request three times within minutes; an hour is ample.
KEEP = timedelta(hours=1)
PRUNE_EVERY = 60.0  # seconds, per process

_pruned_at = 0.0
_prune_lock = threading.Lock()


def first_sight(store: Store, key: str, now: datetime, *, keep: timedelta = KEEP) -> bool:
    """Record ``key``; False when it was recorded within ``keep`` before. Blocking: run it
    in a thread."""
    global _pruned_at
    table = SlackRequestSeen.__table__
    dialect = postgresql if store.engine.dialect.name == "postgresql" else sqlite
    cutoff = now - keep
    statement = (
        dialect.insert(table)
        .values(key=key[:255], seen_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"seen_at": now},
            where=table.c.seen_at < cutoff,
        )
        .returning(table.c.key)
    )
    with _prune_lock:
        prune = time.monotonic() - _pruned_at > PRUNE_EVERY
        if prune:
            _pruned_at = time.monotonic()
    with store.statement() as session:
        taken = session.execute(statement).first() is not None
    if prune:  # apart: a prune that fails loses nothing (the next one does it)
        with store.statement() as session:
            session.execute(delete(SlackRequestSeen).where(SlackRequestSeen.seen_at < cutoff))
    return taken
