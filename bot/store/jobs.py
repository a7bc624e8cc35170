"""Import jobs, their rows and batches, and staged uploads: the queries the job engine needs.

Every state change that matters after a crash is one transaction: a batch and its rows
are marked in flight together (before the request), and a batch's outcome is recorded
together with its rows' outcomes. The job runs' writes check the leader's epoch in that
same transaction (``bot.store.fence``): once another replica leads they are refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from bot.errors import UserInputError
from bot.store.db import Store, reads, writes
from bot.store.models import Job, JobRow, ProviderBatch, StagedUpload, utcnow

UNFINISHED = ("queued", "running")


def final_state(counts: Mapping[str, int]) -> str:
    """How a job that sent every row ended: ``failed`` when not one row was accepted."""
    # "done" under a provider that refused every row told the operator the opposite of
    # what happened (issue 10): a job with rejections and nothing accepted is a failure.
    if counts.get("rejected") and not counts.get("accepted"):
        return "failed"
    return "done"


INSERT_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class RowData:
    """One row to send: its id, file line, normalized phone, name and fields."""

    id: int
    line: int
    phone: str
    name: str | None
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Claimed:
    """A batch marked in flight and the rows it carries."""

    number: int
    rows: list[RowData]


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What became of one sent row: accepted (with the provider's id), rejected or duplicate."""

    row_id: int
    state: str
    provider_id: str | None = None
    reason: str | None = None


class StagedGone(UserInputError):
    """The staged upload expired or was already imported (a preview confirmed twice).

    In the error tree with its sentence, so the work after a confirmation tells it and
    audits it like any input the user can correct.
    """

    def __init__(self, staged_id: str) -> None:
        super().__init__("import.staged_gone")
        self.staged_id = staged_id


class JobStore:
    """Write and read side of jobs for the engine; ``Store`` keeps the commands' read queries.

    Every method is ``async`` and runs on the store's threads (see ``Store``).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lanes = store.lanes

    # Staged uploads

    @writes
    def stage(self, staged: StagedUpload) -> None:
        """Keep a parsed upload until the operator confirms it."""
        with self.store.session() as session:
            session.add(staged)

    @reads
    def staged(self, staged_id: str) -> StagedUpload | None:
        """A staged upload by id."""
        with self.store.session() as session:
            return session.get(StagedUpload, staged_id)

    @reads
    def expired_staged(self, now: datetime) -> list[StagedUpload]:
        """Staged uploads whose time is up."""
        with self.store.session() as session:
            query = select(StagedUpload).where(StagedUpload.expires_at <= now)
            return list(session.scalars(query))

    @writes
    def drop_staged(self, staged_ids: Iterable[str]) -> None:
        """Forget staged uploads."""
        ids = list(staged_ids)
        if ids:
            with self.store.session() as session:
                session.execute(delete(StagedUpload).where(StagedUpload.id.in_(ids)))

    # Jobs

    @writes
    def create_job(
        self, job: Job, rows: Iterable[dict[str, Any]], *, staged_id: str | None = None
    ) -> int:
        """Store a job and all its rows in one transaction, consuming its staged upload.

        Raises ``StagedGone`` when the staged upload was consumed meanwhile (a second
        confirm): nothing is stored then.
        """
        with self.store.session() as session:
            if staged_id is not None:
                gone = session.execute(delete(StagedUpload).where(StagedUpload.id == staged_id))
                if getattr(gone, "rowcount", 1) != 1:
                    raise StagedGone(staged_id)
            session.add(job)
            session.flush()
            total = 0
            iterator = iter(rows)
            while chunk := [{**row, "job_id": job.id} for row in islice(iterator, INSERT_CHUNK)]:
                session.execute(insert(JobRow), chunk)
                total += len(chunk)
            job.total = total
            return job.id

    async def job(self, job_id: int) -> Job | None:
        """One job."""
        return await self.store.job(job_id)

    @reads
    def unfinished(self) -> Sequence[Job]:
        """Jobs a restart must resume, oldest first."""
        with self.store.session() as session:
            query = select(Job).where(Job.state.in_(UNFINISHED)).order_by(Job.id)
            return session.scalars(query).all()

    @writes
    def set_state(
        self, job_id: int, state: str, *, reason: str | None = None, fenced: bool = False
    ) -> None:
        """Move a job to ``state``; a final state records when it finished, and that its
        totals are owed to its channel (``final_posted`` settles that). ``fenced``: a write
        of the job's run, refused (``Deposed``) once another replica leads."""
        values: dict[str, Any] = {"state": state, "reason": reason, "updated_at": utcnow()}
        values["finished_at"] = None if state in UNFINISHED else utcnow()
        values["final_owed"] = state not in UNFINISHED
        with self.store.session() as session:
            if fenced:
                self.store.fence.check(session)
            session.execute(update(Job).where(Job.id == job_id).values(**values))

    @writes
    def final_posted(self, job_id: int) -> None:
        """The job's totals are in its channel: a restart does not post them again."""
        with self.store.session() as session:
            session.execute(update(Job).where(Job.id == job_id).values(final_owed=False))

    @reads
    def finals_owed(self) -> Sequence[Job]:
        """Finished jobs whose totals were never posted (the bot stopped in between)."""
        with self.store.session() as session:
            query = select(Job).where(Job.state.not_in(UNFINISHED), Job.final_owed.is_(True))
            return session.scalars(query.order_by(Job.id)).all()

    @writes
    def set_message(self, job_id: int, ts: str) -> None:
        """Remember the job's progress message."""
        with self.store.session() as session:
            session.execute(update(Job).where(Job.id == job_id).values(message_ts=ts))

    async def counts(self, job_id: int) -> dict[str, int]:
        """Rows per state."""
        return await self.store.job_counts(job_id)

    async def rejection_reasons(self, job_id: int) -> list[tuple[str | None, int]]:
        """The most frequent reasons of the job's rejected rows, with their counts."""
        return await self.store.rejection_reasons(job_id)

    # Batches

    @writes
    def claim(self, job_id: int, size: int) -> Claimed | None:
        """Mark the next ``size`` pending rows and a new batch in flight; None when none is left
        or the job is no longer queued or running (a cancel committed first claims nothing).

        The job's row is locked first (PostgreSQL; SQLite's writes are serialized already):
        a cancel waits for a claim under way, then sees its batch as handed over.
        Refused (``Deposed``) once another replica leads: a deposed leader sends nothing new.
        """
        with self.store.session() as session:
            self.store.fence.check(session)
            state = session.scalar(select(Job.state).where(Job.id == job_id).with_for_update())
            if state not in UNFINISHED:
                return None
            query = (
                select(JobRow.id, JobRow.line, JobRow.phone, JobRow.name, JobRow.fields)
                .where(JobRow.job_id == job_id, JobRow.state == "pending")
                .order_by(JobRow.id)
                .limit(size)
            )
            rows = [RowData(*row) for row in session.execute(query)]
            if not rows:
                return None
            number = 1 + (
                session.scalar(
                    select(func.max(ProviderBatch.number)).where(ProviderBatch.job_id == job_id)
                )
                or 0
            )
            session.add(ProviderBatch(job_id=job_id, number=number, rows=len(rows)))
            # The claimed rows are exactly the pending rows up to the last id (ordered by id),
            # which avoids an IN list longer than the database allows.
            session.execute(
                update(JobRow)
                .where(JobRow.job_id == job_id, JobRow.state == "pending", JobRow.id <= rows[-1].id)
                .values(state="sent", batch=number)
            )
            return Claimed(number, rows)

    @reads
    def batches(self, job_id: int, *states: str) -> Sequence[ProviderBatch]:
        """A job's batches in ``states`` (all when none given), in order."""
        with self.store.session() as session:
            return _batches(session, job_id, *states)

    @writes
    def settle_in_flight(self, job_id: int, *, dedupes: bool) -> list[tuple[int, int]]:
        """Take back the batches still in flight: sent again where the provider skips
        duplicates (``requeued``), else ``unconfirmed`` with their rows. Returns (batch
        number, rows) for each batch made unconfirmed."""
        unconfirmed = []
        with self.store.session() as session:
            self.store.fence.check(session)
            for batch in _batches(session, job_id, "in_flight"):
                if dedupes:
                    _release(session, job_id, batch.number, batch_state="requeued")
                else:
                    count = _release(
                        session,
                        job_id,
                        batch.number,
                        batch_state="unconfirmed",
                        row_state="unconfirmed",
                    )
                    unconfirmed.append((batch.number, count))
        return unconfirmed

    @writes
    def submitted(
        self, job_id: int, number: int, provider_job: str, detail: dict[str, Any] | None = None
    ) -> None:
        """An Alohub batch was accepted as provider job ``provider_job``; ``detail`` keeps
        what finds its list later (the list name sent, the campaign's lists before)."""
        with self.store.session() as session:
            self.store.fence.check(session)
            _set_batch(
                session,
                job_id,
                number,
                state="submitted",
                provider_job=provider_job,
                detail=detail or None,
            )

    @writes
    def record(self, job_id: int, number: int, outcomes: Sequence[RowOutcome]) -> None:
        """A synchronous batch's per-row outcomes, and the batch done, in one transaction."""
        with self.store.session() as session:
            self.store.fence.check(session)
            if outcomes:
                session.execute(
                    update(JobRow),
                    [
                        {
                            "id": o.row_id,
                            "state": o.state,
                            "provider_id": o.provider_id,
                            "reason": o.reason,
                        }
                        for o in outcomes
                    ],
                )
            _set_batch(session, job_id, number, state="done")

    @writes
    def settle(self, job_id: int, number: int, detail: dict[str, Any]) -> None:
        """An Alohub provider job is done: its rows are in the campaign (see ``detail`` counts)."""
        with self.store.session() as session:
            self.store.fence.check(session)
            session.execute(
                update(JobRow)
                .where(JobRow.job_id == job_id, JobRow.batch == number, JobRow.state == "sent")
                .values(state="accepted")
            )
            _set_batch(session, job_id, number, state="done", detail=detail)

    @writes
    def release(
        self,
        job_id: int,
        number: int,
        *,
        batch_state: str,
        row_state: str = "pending",
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Take a batch's sent rows back: ``pending`` (send again) or ``unconfirmed``."""
        with self.store.session() as session:
            self.store.fence.check(session)
            return _release(
                session, job_id, number, batch_state=batch_state, row_state=row_state, detail=detail
            )

    @writes
    def requeue(self, job_id: int, states: Sequence[str]) -> int:
        """``/job retry``: rows in ``states`` become pending and the job queued, in one
        transaction; the retry's batches are numbered from ``Job.retry_from``. Returns how
        many rows (none: nothing changed)."""
        with self.store.session() as session:
            result = session.execute(
                update(JobRow)
                .where(JobRow.job_id == job_id, JobRow.state.in_(list(states)))
                .values(state="pending", batch=None)
            )
            count = int(getattr(result, "rowcount", 0) or 0)
            if not count:
                return 0
            last = session.scalar(
                select(func.max(ProviderBatch.number)).where(ProviderBatch.job_id == job_id)
            )
            values = {"state": "queued", "reason": None, "finished_at": None, "final_owed": False}
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(retry_from=(last or 0) + 1, updated_at=utcnow(), **values)
            )
            return count

    @reads
    def rejected(
        self, job_id: int, *, from_batch: int | None = None
    ) -> list[tuple[int, str, str | None, str | None]]:
        """``(line, phone, name, reason)`` of the rejected rows, in file order: every one, or
        only those rejected by batches numbered ``from_batch`` and later (one retry's)."""
        query = (
            select(JobRow.line, JobRow.phone, JobRow.name, JobRow.reason)
            .where(JobRow.job_id == job_id, JobRow.state == "rejected")
            .order_by(JobRow.line)
        )
        if from_batch is not None:
            query = query.where(JobRow.batch >= from_batch)
        with self.store.session() as session:
            return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]

    @reads
    def rows(self, job_id: int) -> Sequence[JobRow]:
        """Every row of a job (tests and small jobs)."""
        with self.store.session() as session:
            query = select(JobRow).where(JobRow.job_id == job_id).order_by(JobRow.id)
            return session.scalars(query).all()


def _batches(session: Session, job_id: int, *states: str) -> Sequence[ProviderBatch]:
    query = select(ProviderBatch).where(ProviderBatch.job_id == job_id)
    if states:
        query = query.where(ProviderBatch.state.in_(states))
    return session.scalars(query.order_by(ProviderBatch.number)).all()


def _release(
    session: Session,
    job_id: int,
    number: int,
    *,
    batch_state: str,
    row_state: str = "pending",
    detail: dict[str, Any] | None = None,
) -> int:
    values: dict[str, Any] = {"state": row_state}
    if row_state == "pending":
        values["batch"] = None
    result = session.execute(
        update(JobRow)
        .where(JobRow.job_id == job_id, JobRow.batch == number, JobRow.state == "sent")
        .values(**values)
    )
    _set_batch(session, job_id, number, state=batch_state, detail=detail)
    return int(getattr(result, "rowcount", 0) or 0)


def _set_batch(session: Session, job_id: int, number: int, **values: Any) -> None:
    values = {key: value for key, value in values.items() if value is not None}
    session.execute(
        update(ProviderBatch)
        .where(ProviderBatch.job_id == job_id, ProviderBatch.number == number)
        .values(**values)
    )
