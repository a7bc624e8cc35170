"""What the App Home reads from the database: one user's running jobs and their row counts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from bot.store.db import Store, reads
from bot.store.jobs import UNFINISHED
from bot.store.models import Job, JobRow


class HomeStore:
    """Home's queries (``async``: see ``Store``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lanes = store.lanes

    @reads
    def running_jobs(self, creator: str, limit: int) -> list[tuple[Job, dict[str, int]]]:
        """The user's queued and running jobs, newest first, with their rows per state."""
        with self.store.session() as session:
            query = (
                select(Job)
                .where(Job.creator == creator, Job.state.in_(UNFINISHED))
                .order_by(Job.id.desc())
                .limit(limit)
            )
            jobs: Sequence[Job] = session.scalars(query).all()
            counts: dict[int, dict[str, int]] = {job.id: {} for job in jobs}
            if jobs:
                rows = (
                    select(JobRow.job_id, JobRow.state, func.count())
                    .where(JobRow.job_id.in_(list(counts)))
                    .group_by(JobRow.job_id, JobRow.state)
                )
                for job_id, state, count in session.execute(rows).all():
                    counts[job_id][state] = count
            return [(job, counts[job.id]) for job in jobs]

    @reads
    def creator_of(self, job_id: int) -> str | None:
        """Who started a job."""
        with self.store.session() as session:
            return session.scalar(select(Job.creator).where(Job.id == job_id))
