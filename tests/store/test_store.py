"""The store on SQLite and on PostgreSQL (skipped, with the reason, where none runs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.store import AuditEntry, Job, JobRow, Store


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    store.create_schema()
    yield store
    store.close()


def test_schema_creation_is_idempotent(store: Store) -> None:
    store.create_schema()
    store.create_schema()


async def test_audit_entries_come_back_newest_first_with_aware_times(store: Store) -> None:
    for n in range(3):
        await store.audit(
            AuditEntry(user_id=f"U{n}", channel_id="C", command="/x", role="operator", outcome="ok")
        )
    entries = await store.audit_entries()
    assert [e.user_id for e in entries] == ["U2", "U1", "U0"]
    assert entries[0].at.tzinfo is not None


async def test_jobs_and_row_counts_by_state(store: Store) -> None:
    def add_job() -> None:
        with store.session() as session:
            job = Job(connection="a", provider="alohub", campaign="101", creator="U1", channel="C1")
            session.add(job)
            session.flush()
            session.add_all(
                [
                    JobRow(
                        job_id=job.id,
                        line=i,
                        phone=f"09{i:08d}",
                        fields={"x": "y"},
                        state="accepted" if i % 2 else "pending",
                    )
                    for i in range(10)
                ]
            )

    await store.write(add_job)
    assert (await store.job(1)).ref == "J1"
    assert await store.job_counts(1) == {"accepted": 5, "pending": 5}
    assert [j.ref for j in await store.recent_jobs(channel="C1")] == ["J1"]
    assert await store.recent_jobs(channel="other") == []


async def test_connection_checks_are_replaced_not_duplicated(store: Store) -> None:
    await store.record_check("a", False, "rejected")
    await store.record_check("a", True, None)
    checks = await store.checks()
    assert list(checks) == ["a"] and checks["a"].ok is True
