"""pending_commands on both backends: who may claim a row, when, and what is forgotten."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from bot.store import Store
from bot.store.models import PendingCommand, utcnow
from bot.store.pending import Acked, PendingStore

STALE = timedelta(seconds=45)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    store.create_schema()
    yield store
    store.close()


def _record(pending: PendingStore, tag: str = "a", key: str | None = None) -> int | None:
    body = {"command": "/queue", "text": "list", "response_url": f"http://slack/{tag}"}
    return pending.record(
        "command", body, command="/queue list", team="T", channel="C", user="U", request_key=key
    )


def test_a_request_recorded_once_by_its_key_is_refused_the_second_time(store: Store):
    a, b = PendingStore(store, "a"), PendingStore(store, "b")
    first = _record(a, key="command:1.2")
    assert first is not None
    # Slack's retry of it, on this replica or another: nothing is recorded, nothing to run.
    assert _record(a, "retry", key="command:1.2") is None
    assert _record(b, "retry", key="command:1.2") is None
    assert [r.id for r in a.undone()] == [first]
    # Requests without a key, and other keys, are each recorded.
    assert None not in {_record(a, "x"), _record(a, "y"), _record(b, key="command:1.3")}
    assert len(a.undone()) == 4


def test_a_batch_of_requests_gets_each_its_own_id_and_a_repeat_none(store: Store):
    a = PendingStore(store, "a")
    earlier = _record(a, key="command:0")
    body = {"command": "/queue", "text": "list", "response_url": "http://slack/b"}
    requests = [
        Acked("command", body, "/queue list", "T", "C", "U", key)
        for key in ("command:1", "command:0", None, "command:2", "command:1")
    ]
    ids = a.record_many(requests)
    assert ids[1] is None and ids[4] is None  # recorded before; a second copy in the batch
    assert None not in (ids[0], ids[2], ids[3]) and len({ids[0], ids[2], ids[3]}) == 3
    undone = {row.id: row.request_key for row in a.undone()}
    assert undone == {earlier: "command:0", ids[0]: "command:1", ids[2]: None, ids[3]: "command:2"}


def test_two_replicas_recording_one_key_at_once_record_it_once(store: Store):
    replicas = [PendingStore(store, f"r{n}") for n in range(8)]
    with ThreadPoolExecutor(len(replicas)) as pool:
        ids = list(pool.map(lambda p: _record(p, p.replica, key="command:9.9"), replicas))
    assert len([i for i in ids if i is not None]) == 1, ids
    assert len(replicas[0].undone()) == 1


def test_a_live_replicas_rows_are_left_to_it_until_its_claim_is_stale(store: Store):
    a, b = PendingStore(store, "a"), PendingStore(store, "b")
    row = _record(a)
    assert b.claim(stale_after=STALE, at_start=False).runnable == []
    later = utcnow() + STALE + timedelta(seconds=1)
    taken = b.claim(stale_after=STALE, at_start=False, now=later)
    assert [r.id for r in taken.runnable] == [row]
    # b's claim is fresh now: a third replica, or b again, takes nothing.
    assert (
        PendingStore(store, "c").claim(stale_after=STALE, at_start=False, now=later).runnable == []
    )
    b.done(row)
    assert b.undone() == []


def test_a_released_row_is_taken_at_once_and_an_old_one_is_closed_apart(store: Store):
    a, b = PendingStore(store, "a"), PendingStore(store, "b")
    fresh = _record(a, "fresh")
    old = _record(a, "old")
    with store.session() as session:
        session.get_one(PendingCommand, old).received_at = utcnow() - timedelta(minutes=31)
    assert a.release() == 2
    taken = b.claim(stale_after=STALE, at_start=False)
    assert [r.id for r in taken.runnable] == [fresh]
    assert [r.id for r in taken.expired] == [old]
    assert [r.id for r in b.undone()] == [fresh]


def test_answered_rows_are_forgotten_after_a_day(store: Store):
    a = PendingStore(store, "a")
    row = _record(a)
    a.done(row)
    assert a.prune() == 0
    assert a.prune(kept_for=timedelta(seconds=-1)) == 1
