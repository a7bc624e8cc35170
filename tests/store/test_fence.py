"""The leader's fencing token on the real PostgreSQL: a deposed leader's writes are refused.

Two ``PostgresLeadership`` objects, each on a ``Store`` of its own, share one fresh
database as two replicas would. The first leads, then stalls: its loop does not check its
lock (``check_seconds`` of an hour) while the server drops its session. The second takes
the lock and the next epoch; every write of the first's scheduled work — a batch claimed,
a batch's outcome, a job's end, a summary run, a campaign-finished claim — is then
refused, and nothing it tried is in the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from bot.leader import PostgresLeadership
from bot.store import Store
from bot.store.fence import Deposed
from bot.store.finishes import FinishStore
from bot.store.jobs import JobStore, RowOutcome
from bot.store.models import Job, JobRow
from bot.store.summaries import Schedule, SummaryStore
from tests.store.conftest import _postgres_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@dataclass
class Replica:
    store: Store
    leadership: PostgresLeadership
    elected: asyncio.Event

    @property
    def jobs(self) -> JobStore:
        return JobStore(self.store)


async def _replica(url: str, *, check_seconds: float) -> Replica:
    store = Store(url)
    await asyncio.to_thread(store.create_schema)
    leadership = PostgresLeadership(store.engine, fence=store.fence)
    leadership.fence_seconds = 0.0
    leadership.check_seconds = check_seconds
    elected = asyncio.Event()

    async def on_elected() -> None:
        elected.set()

    async def on_lost(graceful: bool) -> None:
        return None

    await leadership.start(on_elected, on_lost)
    return Replica(store, leadership, elected)


@pytest.fixture
async def replicas(postgres_url: str) -> AsyncIterator[tuple[Replica, str]]:
    first = await _replica(postgres_url, check_seconds=3600.0)  # stalls: never checks its lock
    try:
        await asyncio.wait_for(first.elected.wait(), 30)
        yield first, postgres_url
    finally:
        await first.leadership.close()
        await first.store.aclose()


def _epoch(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT epoch FROM leader_epochs")).scalar_one())
    finally:
        engine.dispose()


def _cut(url: str, leadership: PostgresLeadership) -> None:
    """The server drops the leader's lock session (a network cut, an admin's terminate)."""
    pid = leadership._connection.info.backend_pid
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        engine.dispose()


async def _job(jobs: JobStore, rows: int = 6) -> int:
    job = Job(
        connection="vbee",
        provider="vbee",
        campaign="c1",
        creator="U1",
        channel="C1",
        state="running",
    )
    data: list[dict[str, Any]] = [
        {"line": i + 2, "phone": f"09123456{i:02d}", "name": f"n{i}", "fields": {}}
        for i in range(rows)
    ]
    return await jobs.create_job(job, data)


def _rows(store: Store, job_id: int) -> dict[str, int]:
    with store.session() as session:
        states = session.scalars(select(JobRow.state).where(JobRow.job_id == job_id)).all()
    return {state: states.count(state) for state in set(states)}


async def test_a_stalled_leaders_writes_are_refused_once_another_leads(
    replicas: tuple[Replica, str],
) -> None:
    old, url = replicas
    assert (
        old.leadership.leader and old.store.fence.epoch == await asyncio.to_thread(_epoch, url) == 1
    )
    job_id = await _job(old.jobs)
    sent = await old.jobs.claim(job_id, 2)  # leading: its claims go through
    assert sent is not None and sent.number == 1
    subscription, _ = await SummaryStore(old.store).subscribe(
        Schedule(channel="C1", connection="aicc", at="08:00"), "U1"
    )

    await asyncio.to_thread(_cut, url, old.leadership)
    new = await _replica(url, check_seconds=0.2)
    try:
        await asyncio.wait_for(new.elected.wait(), 30)
        assert new.store.fence.epoch == await asyncio.to_thread(_epoch, url) == 2
        # The old leader has not noticed: it still believes it leads, and tries to go on.
        assert old.leadership.leader
        before = await asyncio.to_thread(_rows, old.store, job_id)
        refused = [
            old.jobs.claim(job_id, 2),
            old.jobs.record(job_id, 1, [RowOutcome(sent.rows[0].id, "accepted", "p1")]),
            old.jobs.release(job_id, 1, batch_state="failed"),
            old.jobs.settle_in_flight(job_id, dedupes=False),
            old.jobs.submitted(job_id, 1, "alohub-job"),
            old.jobs.settle(job_id, 1, {"ok": 1}),
            old.jobs.set_state(job_id, "failed", reason="x", fenced=True),
            SummaryStore(old.store).claim(subscription.id, "2026-12-06"),
            FinishStore(old.store).claim(("C1", "alohub-main", "101"), 180),
        ]
        for write in refused:
            with pytest.raises(Deposed):
                await write
        after = await asyncio.to_thread(_rows, old.store, job_id)
        assert after == before == {"sent": 2, "pending": 4}
        assert (await old.store.job(job_id)).state == "running"
        assert await SummaryStore(new.store).runs(subscription.id) == []
        assert await FinishStore(new.store).all() == []
        # The new leader's writes go through: it resumes from what the database holds.
        assert await new.jobs.settle_in_flight(job_id, dedupes=False) == [(1, 2)]
        claimed = await new.jobs.claim(job_id, 4)
        assert claimed is not None and len(claimed.rows) == 4
        assert await SummaryStore(new.store).claim(subscription.id, "2026-12-06") is not None
        assert await FinishStore(new.store).claim(("C1", "alohub-main", "101"), 180) is not None
        # A command's write (a cancel on any replica) is no write of the scheduled work.
        await old.jobs.set_state(job_id, "cancelled")
    finally:
        await new.leadership.close()
        await new.store.aclose()


async def test_a_write_under_way_holds_the_next_epoch_back_until_it_commits(
    replicas: tuple[Replica, str],
) -> None:
    # The fence row is read FOR SHARE: the new leader's increment waits for a write of the
    # old one in progress, so that write lands before the new leader reads the database.
    old, url = replicas
    job_id = await _job(old.jobs)
    in_write = asyncio.Event()
    release = asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow_claim() -> None:
        with old.store.session() as session:
            old.store.fence.check(session)
            loop.call_soon_threadsafe(in_write.set)
            asyncio.run_coroutine_threadsafe(release.wait(), loop).result(30)
            session.execute(
                text("UPDATE job_rows SET state = 'sent', batch = 1 WHERE job_id = :j"),
                {"j": job_id},
            )

    writing = asyncio.ensure_future(asyncio.to_thread(slow_claim))
    await in_write.wait()
    await asyncio.to_thread(_cut, url, old.leadership)
    new = await _replica(url, check_seconds=0.2)
    try:
        await asyncio.sleep(1.0)  # the new replica tries the lock meanwhile (a few rounds)
        assert not new.elected.is_set()  # its epoch waits for the write under way
        release.set()
        await writing
        await asyncio.wait_for(new.elected.wait(), 30)
        landed = await asyncio.to_thread(_rows, new.store, job_id)
        assert landed == {"sent": 6}  # the write landed, then the epoch moved
        # (An attempt that timed out while it waited may have taken an epoch too.)
        assert new.store.fence.epoch == await asyncio.to_thread(_epoch, url) >= 2
    finally:
        await new.leadership.close()
        await new.store.aclose()
