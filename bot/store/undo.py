"""Undo jobs (``/job undo``): what an import left at Alohub, and each contact's deletion.

An undo job is a ``Job`` with ``kind="undo"`` and ``undo_of`` its import. Its rows are the
contacts it found in the import's lists with the import's phones (``provider_id`` the
contact id, ``fields`` its list and process status), stored with its *plan* (batch 0) in
one transaction. Each row then goes ``pending → sent`` (committed before its DELETE) →
``removed`` | ``kept`` (not pending: in a call or processed) | ``gone`` (no longer at
Alohub, deleted by someone else). Rows found already in a call or processed are stored
``kept`` and never sent. A ``sent`` row after a crash is checked against the list, never
deleted again blindly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update

from bot.errors import UserInputError
from bot.store.db import Store, reads, writes
from bot.store.jobs import UNFINISHED
from bot.store.models import Job, JobRow, ProviderBatch, utcnow

PLAN = 0  # the batch number of an undo job's plan
UNDO_STATES = ("pending", "sent", "removed", "kept", "gone")


@dataclass(frozen=True, slots=True)
class ImportTraces:
    """What an import left to find at Alohub: the phones Alohub took, and its lists."""

    phones: dict[str, tuple[int, str | None]]  # phone → (file line, name), list known
    lists: list[int]  # list ids the import's chunks made, in order
    chunks_unlisted: int  # chunks handed to Alohub whose list is not known
    rows_unlisted: int  # rows Alohub took in those chunks: not looked for


@dataclass(frozen=True, slots=True)
class Found:
    """One contact of the import found in its lists: to delete, or kept with its status."""

    line: int
    phone: str
    name: str | None
    contact_id: int
    list_id: int
    process_status: int


@dataclass(frozen=True, slots=True)
class ToDelete:
    """A row claimed for its DELETE (committed ``sent`` first)."""

    row_id: int
    contact_id: str
    list_id: int


class UndoRunning(UserInputError):
    """An undo of this import is already queued or running: one at a time."""

    def __init__(self, ref: str, undo_ref: str) -> None:
        super().__init__("job.undo.running", ref=ref, undo=undo_ref)


class UndoStore:
    """The queries of undo jobs; every method runs on the store's threads."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lanes = store.lanes

    @writes
    def create(self, original_id: int, *, creator: str, channel: str) -> int:
        """A queued undo job of ``original_id``; ``UndoRunning`` when one is unfinished.

        The import's row is locked first (PostgreSQL): two confirms at once make one undo.
        """
        with self.store.session() as session:
            original = session.scalar(select(Job).where(Job.id == original_id).with_for_update())
            if original is None:
                raise UserInputError("job.not_found", ref=f"J{original_id}")
            running = session.scalar(
                select(Job.id).where(Job.undo_of == original_id, Job.state.in_(UNFINISHED))
            )
            if running is not None:
                raise UndoRunning(original.ref, f"J{running}")
            job = Job(
                kind="undo",
                undo_of=original_id,
                connection=original.connection,
                provider=original.provider,
                campaign=original.campaign,
                list_name=original.list_name,
                creator=creator,
                channel=channel,
                source=original.source,
                state="queued",
            )
            session.add(job)
            session.flush()
            return job.id

    @reads
    def undos_of(self, original_id: int) -> Sequence[Job]:
        """The undo jobs of an import, oldest first."""
        with self.store.session() as session:
            query = select(Job).where(Job.undo_of == original_id).order_by(Job.id)
            return session.scalars(query).all()

    @reads
    def removed_by_undos(self, original_id: int) -> int:
        """How many contacts of an import its undo jobs removed."""
        query = (
            select(func.count())
            .select_from(JobRow)
            .join(Job, Job.id == JobRow.job_id)
            .where(Job.undo_of == original_id, JobRow.state == "removed")
        )
        with self.store.session() as session:
            return int(session.scalar(query) or 0)

    @reads
    def traces(self, original_id: int) -> ImportTraces:
        """The phones Alohub took from an import, and the lists its chunks made."""
        with self.store.session() as session:
            lists: list[int] = []
            unlisted: set[int] = set()
            batches = session.scalars(
                select(ProviderBatch)
                .where(ProviderBatch.job_id == original_id)
                .order_by(ProviderBatch.number)
            )
            for batch in batches:
                if not batch.provider_job:
                    continue  # never reached Alohub: no list
                made = (batch.detail or {}).get("lists")
                if made is None:
                    unlisted.add(batch.number)
                    continue
                lists.extend(int(list_id) for list_id in made if int(list_id) not in lists)
            rows = session.execute(
                select(JobRow.phone, JobRow.line, JobRow.name, JobRow.batch)
                .where(JobRow.job_id == original_id, JobRow.state == "accepted")
                .order_by(JobRow.id)
            )
            phones: dict[str, tuple[int, str | None]] = {}
            rows_unlisted = 0
            for phone, line, name, number in rows:
                if number in unlisted:
                    rows_unlisted += 1
                else:
                    phones[phone] = (line, name)
            return ImportTraces(phones, lists, len(unlisted), rows_unlisted)

    @reads
    def planned(self, undo_id: int) -> bool:
        """True once the undo job's contacts are stored (its plan committed)."""
        with self.store.session() as session:
            query = select(ProviderBatch.id).where(
                ProviderBatch.job_id == undo_id, ProviderBatch.number == PLAN
            )
            return session.scalar(query) is not None

    @reads
    def plan_detail(self, undo_id: int) -> dict[str, Any]:
        """What the plan recorded: phones asked, not found, chunks without a known list."""
        with self.store.session() as session:
            query = select(ProviderBatch.detail).where(
                ProviderBatch.job_id == undo_id, ProviderBatch.number == PLAN
            )
            return dict(session.scalar(query) or {})

    @writes
    def store_plan(self, undo_id: int, found: Iterable[Found], detail: dict[str, Any]) -> int:
        """The contacts to delete (pending at Alohub) or keep, with the plan, at once."""
        with self.store.session() as session:
            self.store.fence.check(session)  # scheduled work: a deposed leader writes nothing
            rows = [
                {
                    "job_id": undo_id,
                    "line": item.line,
                    "phone": item.phone,
                    "name": item.name,
                    "provider_id": str(item.contact_id),
                    "fields": {"list": item.list_id, "process": item.process_status},
                    "state": "pending" if item.process_status == 0 else "kept",
                    "reason": None
                    if item.process_status == 0
                    else kept_reason(item.process_status),
                }
                for item in found
            ]
            if rows:
                session.execute(insert(JobRow), rows)
            session.add(ProviderBatch(job_id=undo_id, number=PLAN, state="done", detail=detail))
            session.execute(
                update(Job).where(Job.id == undo_id).values(total=len(rows), updated_at=utcnow())
            )
            return len(rows)

    @writes
    def claim(self, undo_id: int) -> ToDelete | None:
        """The next pending contact, marked ``sent`` before its DELETE; None when none is
        left or the undo is no longer running (a cancel committed first)."""
        with self.store.session() as session:
            self.store.fence.check(session)  # scheduled work: a deposed leader writes nothing
            state = session.scalar(select(Job.state).where(Job.id == undo_id).with_for_update())
            if state not in UNFINISHED:
                return None
            row = session.execute(
                select(JobRow.id, JobRow.provider_id, JobRow.fields)
                .where(JobRow.job_id == undo_id, JobRow.state == "pending")
                .order_by(JobRow.id)
                .limit(1)
            ).first()
            if row is None:
                return None
            session.execute(update(JobRow).where(JobRow.id == row.id).values(state="sent"))
            return ToDelete(row.id, str(row.provider_id), int((row.fields or {})["list"]))

    @writes
    def settle(self, row_id: int, state: str, reason: str | None = None) -> None:
        """What came of one contact's DELETE (or of checking a ``sent`` one)."""
        with self.store.session() as session:
            self.store.fence.check(session)  # scheduled work: a deposed leader writes nothing
            session.execute(
                update(JobRow).where(JobRow.id == row_id).values(state=state, reason=reason)
            )

    @reads
    def in_flight(self, undo_id: int) -> list[ToDelete]:
        """Rows ``sent`` whose answer was never recorded (the bot stopped meanwhile)."""
        with self.store.session() as session:
            rows = session.execute(
                select(JobRow.id, JobRow.provider_id, JobRow.fields)
                .where(JobRow.job_id == undo_id, JobRow.state == "sent")
                .order_by(JobRow.id)
            )
            return [ToDelete(r.id, str(r.provider_id), int((r.fields or {})["list"])) for r in rows]

    @reads
    def kept(self, undo_id: int) -> list[tuple[int, str, str | None, str | None, str | None]]:
        """``(line, phone, name, contact id, reason)`` of the contacts left in place."""
        with self.store.session() as session:
            rows = session.execute(
                select(JobRow.line, JobRow.phone, JobRow.name, JobRow.provider_id, JobRow.reason)
                .where(JobRow.job_id == undo_id, JobRow.state == "kept")
                .order_by(JobRow.line)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]


def kept_reason(process_status: int) -> str:
    """The catalog key saying why a contact stays (alohub-campaign-contacts.txt:127:
    processStatus 0 pending, 1 in call, 2 processed; only 0 may be deleted, line 390)."""
    return {1: "job.undo.kept.in_call", 2: "job.undo.kept.processed"}.get(
        process_status, "job.undo.kept.other"
    )


NOT_PENDING = "job.undo.kept.not_pending"  # INVALID_STATE on the DELETE: called meanwhile
