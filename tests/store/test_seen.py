"""The ids of Slack requests already taken: the first sight wins, once, on each backend."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from bot.store import open_store
from bot.store.seen import KEEP, first_sight


def test_a_key_is_taken_once_then_again_after_it_expires(database_url: str):
    store = open_store(database_url)
    try:
        now = datetime.now(UTC)
        assert first_sight(store, "command:1.2", now)
        assert not first_sight(store, "command:1.2", now + timedelta(minutes=5))
        assert first_sight(store, "command:3.4", now)
        # Past KEEP it can no longer be a Slack retry.
        assert first_sight(store, "command:1.2", now + KEEP + timedelta(seconds=1))
    finally:
        store.close()


def test_of_many_at_once_exactly_one_takes_the_key(database_url: str):
    store = open_store(database_url)
    try:
        now = datetime.now(UTC)
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: first_sight(store, "event:Ev1", now), range(16)))
        assert results.count(True) == 1
    finally:
        store.close()
