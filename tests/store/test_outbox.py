"""The outbox's rows on SQLite and PostgreSQL: updates coalesce, keyed posts are one message,
a row is claimed by one sender only, a dead sender's claim is taken over after its lease."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.store import Store, open_store
from bot.store.models import OutboxMessage, utcnow
from bot.store.outbox import OutboxStore


@pytest.fixture
def rows(database_url: str) -> Iterator[OutboxStore]:
    store = open_store(database_url)
    yield OutboxStore(store)
    store.close()


def _stale() -> object:
    return utcnow() - timedelta(seconds=60)


async def test_a_newer_update_of_a_message_replaces_the_pending_one(rows: OutboxStore):
    first = await rows.enqueue_update("C1", "1.1", "10 of 100", None)
    again = await rows.enqueue_update("C1", "1.1", "50 of 100", None)
    other = await rows.enqueue_update("C1", "1.2", "another message", None)
    assert again == first and other != first
    [row, _] = await rows.rows("C1")
    assert row.text == "50 of 100"


async def test_an_update_after_its_message_was_claimed_is_a_new_row_sent_after(
    rows: OutboxStore,
):
    first = await rows.enqueue_update("C1", "1.1", "10 of 100", None)
    assert await rows.claim(first, "me", _stale()) is not None
    later = await rows.enqueue_update("C1", "1.1", "100 of 100", None)
    assert later != first
    assert [r.text for r in await rows.rows("C1")] == ["10 of 100", "100 of 100"]


async def test_a_keyed_post_is_one_message_and_takes_the_newest_words(rows: OutboxStore):
    first = await rows.enqueue_post("C1", "J1 running", None, key="job:1:card")
    again = await rows.enqueue_post("C1", "J1 finished", None, key="job:1:card")
    assert again.id == first.id and not again.restated
    [row] = await rows.rows("C1")
    assert row.text == "J1 finished"
    await rows.claim(row.id, "me", _stale())
    await rows.sent(row.id, "1.5")
    joined = await rows.enqueue_post("C1", "J1 finished again", None, key="job:1:card")
    assert joined.id == first.id and joined.restated, "the caller updates it to the new words"


async def test_a_failed_keyed_post_frees_its_key(rows: OutboxStore):
    first = await rows.enqueue_post("C1", "J1 running", None, key="job:1:card")
    await rows.failed(first.id, "channel_not_found")
    again = await rows.enqueue_post("C1", "J1 finished", None, key="job:1:card")
    assert again.id != first.id


async def test_only_one_sender_claims_a_row(rows: OutboxStore):
    row = await rows.enqueue_post("C1", "hello", None)
    won = [await rows.claim(row.id, who, _stale()) for who in ("leader", "old-leader")]
    assert won[0] is not None and won[1] is None
    assert await rows.head("C1", "old-leader", _stale()) is None, "not another's fresh claim"


async def test_a_dead_senders_claim_is_taken_over_after_the_lease(rows: OutboxStore):
    row = await rows.enqueue_post("C1", "hello", None)
    await rows.claim(row.id, "dead", _stale())
    assert await rows.claim(row.id, "leader", _stale()) is None
    await rows.store.write(_claimed_long_ago, rows.store, row.id)
    assert await rows.channels_due("leader", _stale()) == ["C1"]
    taken = await rows.claim(row.id, "leader", _stale())
    assert taken is not None and taken.claimed_by == "leader"


def _claimed_long_ago(store: Store, row_id: int) -> None:
    with store.session() as session:  # the dead replica claimed it two minutes ago
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(claimed_at=utcnow() - timedelta(minutes=2))
        )


async def test_rows_leave_a_channel_in_order_and_channels_are_apart(rows: OutboxStore):
    a1 = await rows.enqueue_post("C1", "first", None)
    await rows.enqueue_post("C2", "elsewhere", None)
    await rows.enqueue_post("C1", "second", None)
    head = await rows.head("C1", "me", _stale())
    assert head is not None and head.id == a1.id
    assert sorted(await rows.channels_due("me", _stale())) == ["C1", "C2"]


def _second_pending_update(store: Store, ts: str) -> None:
    with store.session() as session:  # as two replicas storing at once leave it
        session.add(OutboxMessage(channel="C1", kind="update", ts=ts, text="twin", blocks=None))


async def test_two_pending_updates_of_one_message_become_one(rows: OutboxStore):
    first = await rows.enqueue_update("C1", "1.1", "10 of 100", None)
    await rows.store.write(_second_pending_update, rows.store, "1.1")
    assert await rows.enqueue_update("C1", "1.1", "100 of 100", None) == first
    assert [r.text for r in await rows.rows("C1")] == ["100 of 100"], "the final words once"
