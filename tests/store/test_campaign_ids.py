"""Campaign ids of any length are kept whole on both backends (seed: campaign_id String)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.store import Job, Store
from bot.store.summaries import Schedule, SummaryStore

LONG = "Chiến dịch tri ân khách hàng thân thiết khu vực Hà Nội / tháng 4 năm 2026 #1?" * 3


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    store.create_schema()
    yield store
    store.close()


async def test_a_long_text_campaign_id_is_kept_in_jobs_and_subscriptions(store: Store) -> None:
    assert len(LONG) > 200

    def add_job() -> None:
        with store.session() as session:
            session.add(
                Job(
                    connection="aicc",
                    provider="aicallcenter",
                    campaign=LONG,
                    creator="U",
                    channel="C",
                )
            )

    await store.write(add_job)
    assert (await store.job(1)).campaign == LONG
    summaries = SummaryStore(store)
    await summaries.subscribe(
        Schedule("C1", "aicc", "08:00", "yesterday", LONG), "U1", now=datetime.now(UTC)
    )
    row = await summaries.for_channel("C1")
    assert row is not None and row.campaign == LONG
