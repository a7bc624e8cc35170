"""Slack requests already taken, by their own ids: the first sight wins, on every replica.

The primary key decides: of two replicas inserting the same key at once, PostgreSQL makes
the second wait for the first's commit and then refuses it; SQLite serialises writers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.store.db import Store
from bot.store.models import SlackRequestSeen

# Slack retries an unanswered request three times within minutes; an hour is ample.
KEEP = timedelta(hours=1)


def first_sight(store: Store, key: str, now: datetime, *, keep: timedelta = KEEP) -> bool:
    """Record ``key``; False when it was recorded before (within ``keep``). Blocking: run it
    in a thread. Rows older than ``keep`` are pruned on the way."""
    try:
        with store.session() as session:
            session.add(SlackRequestSeen(key=key[:255], seen_at=now))
    except IntegrityError:
        with store.session() as session:
            stale = session.get(SlackRequestSeen, key[:255])
            if stale is None or stale.seen_at >= now - keep:
                return False
            # Seen too long ago to be a retry (expired but not pruned yet): take it again.
            stale.seen_at = now
        return True
    with store.session() as session:
        session.execute(delete(SlackRequestSeen).where(SlackRequestSeen.seen_at < now - keep))
    return True
