"""The job engine: starts, resumes, cancels and retries import jobs, and runs the undo jobs
that take an Alohub import back (``undo.UndoRun``, resumed like the others); owns their
scheduled work.

On start every ``queued``/``running`` job is resumed from the database. A batch found in
flight was interrupted by the crash: at Alohub its rows are sent again (the bulk endpoint
skips phones the campaign has); elsewhere nobody can tell whether the provider got them, so
they become ``unconfirmed`` and are sent again only by ``/job retry <id> unconfirmed``.
A job that ended but whose totals were never posted (``Job.final_owed``: the bot stopped
between committing the end and posting it) gets its totals posted.
Alohub provider jobs already submitted are polled again. A normal shutdown sends no new
batch and lets the requests in flight be answered first, so it leaves nothing unconfirmed.

A run speaks its channel's language (``bot.languages``): it runs in the channel's scope,
whichever request started it, and its message is rendered in that scope wherever from.

Only the leader (``bot.leader``) runs jobs: between ``start`` and ``stop`` the engine
``leads``. Any replica records a job a command starts (confirm, retry) or cancels; the
leader picks the new ones up by polling the database every ``pickup_seconds`` and stops
the runs cancelled elsewhere. Polling rather than LISTEN/NOTIFY: one small indexed query a
second or so, the same on SQLite and PostgreSQL, and nothing is missed while no replica
leads (a notification sent then would be lost; a queued row is not).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime

from bot.chat import Chat
from bot.config import Config
from bot.errors import UserInputError
from bot.imports import staging
from bot.languages import Languages
from bot.messages import Messages
from bot.providers.registry import Clients
from bot.schedule import Scheduler, Work
from bot.store import Store
from bot.store.fence import Deposed
from bot.store.jobs import UNFINISHED, JobStore
from bot.store.models import Job, StagedUpload
from bot.store.undo import UndoStore

from .intake import create_job
from .progress import Progress
from .runner import JobRun, RunContext
from .undo import UndoRun
from .undo_progress import UndoProgress

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Cancelled:
    """What a cancel stopped (rows held back) and what it could not (batches handed over)."""

    held_back: int
    handed_over: tuple[tuple[int, int], ...]  # (batch number, rows) the provider has


CLEANUP_ID = "imports-cleanup"
CLEANUP_SECONDS = 600.0
PICKUP_ID = "jobs-pickup"


class JobEngine:
    """Runs import jobs: one ``JobRun`` task per running job, Alohub polls on the scheduler."""

    poll_seconds = 2.5  # Alohub asks clients to poll every 2–3 s
    progress_interval = 3.0  # at most one progress update per job in this many seconds
    alohub_outstanding = 4  # Alohub provider jobs of one job running at once
    parallel_batches = 4  # Vbee/AICallCenter/OMICall requests of one job in flight at once
    stop_grace = 5.0  # seconds a shutdown waits for the requests in flight to be answered
    pickup_seconds = 1.0  # how often the leader looks for jobs recorded by other replicas

    def __init__(
        self,
        *,
        config: Config,
        store: Store,
        clients: Clients,
        messages: Messages,
        languages: Languages,
        chat: Chat,
        scheduler: Scheduler,
        now: Callable[[], datetime],
        on_end: Callable[[int], None] | None = None,
    ) -> None:
        self.config = config
        self.on_end = on_end  # told the id of each job whose run (or totals) ended
        self.store = JobStore(store)
        self.undos = UndoStore(store)
        self.clients = clients
        self.messages = messages
        self.languages = languages
        self.chat = chat
        self.scheduler = scheduler
        self.now = now
        self.runs: dict[int, JobRun | UndoRun] = {}
        self.stopping = False
        self.leads = False  # True while this replica is the leader and runs jobs
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._starting: set[int] = set()  # jobs ``pickup`` is recovering and launching

    async def start(self) -> None:
        """Lead: clean expired previews, resume every unfinished job, pick up new ones."""
        self.stopping = False
        self.leads = True
        self.scheduler.every(CLEANUP_ID, CLEANUP_SECONDS, self.cleanup)
        await self.pickup()
        for job in await self.store.finals_owed():  # stopped between a job's end and its totals
            self._post_final(job)
        self.scheduler.every(PICKUP_ID, self.pickup_seconds, self.pickup)

    async def pickup(self) -> None:
        """Run the unfinished jobs no run of ours has (resumed, or recorded by another
        replica), and stop the runs of jobs cancelled elsewhere."""
        if not self.leads:
            return
        unfinished = await self.store.unfinished()
        if not self.leads:
            return
        ids = {job.id for job in unfinished}
        for job in unfinished:
            if job.id in self.runs or job.id in self._starting:
                continue
            # Held while recovering: a launch meanwhile (a confirm on this replica) waits for
            # ours, so no batch of a run is taken for one a crash left in flight.
            self._starting.add(job.id)
            try:
                # The list may be stale: a run of ours can have ended meanwhile (the loop
                # awaits at each job). Relaunched, a finished job posted its totals twice.
                fresh = await self.store.job(job.id)
                if fresh is None or fresh.state not in UNFINISHED:
                    continue
                await self._recover(job.id, dedupes=job.provider == "alohub")
                await self._launch(job.id, starting=True)
            except Deposed:
                log.warning("another replica leads now: it resumes the unfinished jobs")
                return
            finally:
                self._starting.discard(job.id)
        for job_id, run in list(self.runs.items()):
            if job_id not in ids and run.stopped is None:
                ended = await self.store.job(job_id)
                if ended is not None and ended.state == "cancelled":
                    run.stop("cancelled")

    async def stop(self, grace: float | None = None) -> None:
        """Send no new batch, give requests in flight ``grace`` seconds (``stop_grace`` by
        default; 0 cancels them at once); jobs resume at the next leader's start."""
        self.stopping = True  # first, synchronously: no run claims a batch after this line
        self.leads = False
        self.scheduler.remove(PICKUP_ID)
        self.scheduler.remove(CLEANUP_ID)
        for run in list(self.runs.values()):
            self._unwatch(run.job_id)
            run.wake.set()
        tasks = list(self._tasks.values())
        grace = self.stop_grace if grace is None else grace
        if tasks and grace > 0:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()  # past the grace: their batches stay in flight for the restart
        await asyncio.gather(*tasks, return_exceptions=True)

    async def cleanup(self) -> None:
        """Forget previews nobody confirmed in time, and their files."""
        try:
            await staging.cleanup(self.store, self.now())
        except Exception:
            log.exception("could not clean the staged uploads")

    # Creating, cancelling, retrying

    async def staged(self, staged_id: str) -> StagedUpload | None:
        """A preview still waiting for its confirmation (None when expired or used)."""
        staged = await self.store.staged(staged_id)
        if staged is None or staged.expires_at <= self.now():
            return None
        return staged

    async def create(self, staged: StagedUpload) -> int:
        """Store the job of a confirmed preview with all its rows, then start sending it."""
        job_id = await create_job(self.config, self.store, staged)
        if self.leads:
            await self._launch(job_id)  # elsewhere the leader picks it up from the database
        return job_id

    async def cancel(self, job_id: int) -> Cancelled | None:
        """Send nothing more of a job; None when it had already ended.

        What was already handed to the provider (the batches in flight, and Alohub's
        provider jobs) cannot be called back and goes on there; the pending rows are held
        back for ``/job retry``. The cancel is committed before the caller says anything.
        """
        job = await self.store.job(job_id)
        if job is None or job.state not in UNFINISHED:
            return None
        run = self.runs.get(job_id)
        if run is not None:
            run.stop("cancelled")  # the run claims no batch after this line (see JobStore.claim)
        await self.store.set_state(job_id, "cancelled")
        handed = await self.store.batches(job_id, "in_flight", "submitted")
        cancelled = Cancelled(
            held_back=(await self.store.counts(job_id)).get("pending", 0),
            handed_over=tuple((batch.number, batch.rows) for batch in handed),
        )
        if run is None and self.leads:
            await self.progress_of(job_id, job.kind).final()  # elsewhere the leader's run posts it
        return cancelled

    async def retry(self, job_id: int, *, include_unconfirmed: bool = False) -> int:
        """Queue again the rows not accepted (and unconfirmed ones if asked); returns how many."""
        job = await self.store.job(job_id)
        if job is None:
            raise UserInputError("job.not_found", ref=f"J{job_id}")
        if job.state in UNFINISHED:
            raise UserInputError("import.retry_running", ref=job.ref)
        await self.wait(job_id)  # ended, maybe still posting its totals: let it finish
        states = ["pending", "sent", *(["unconfirmed"] if include_unconfirmed else [])]
        count = await self.store.requeue(job_id, states)  # and the job queued, in one transaction
        if count and self.leads:
            await self._launch(job_id)
        return count

    async def undo(self, original: Job, *, creator: str, channel: str) -> int:
        """Start undoing an Alohub import: a new job that deletes its pending contacts.

        ``UndoRunning`` when an undo of it is unfinished (one at a time, checked in the
        transaction that stores the new job).
        """
        job_id = await self.undos.create(original.id, creator=creator, channel=channel)
        if self.leads:
            await self._launch(job_id)  # elsewhere the leader picks it up from the database
        return job_id

    async def wait(self, job_id: int) -> None:
        """Return once the job's run (if any) has ended."""
        task = self._tasks.get(job_id)
        if task is not None:
            await asyncio.wait({task})

    # Alohub polling on the scheduler

    def _watch(self, job_id: int, poll: Work) -> None:
        """Poll the job's Alohub provider jobs every ``poll_seconds`` (idempotent)."""
        key = _poll_id(job_id)
        if not self.scheduler.has(key):
            self.scheduler.every(key, self.poll_seconds, poll)

    def _unwatch(self, job_id: int) -> None:
        """Stop polling for a job."""
        self.scheduler.remove(_poll_id(job_id))

    # Internals

    async def _recover(self, job_id: int, *, dedupes: bool) -> None:
        """Settle the batches a crash left in flight (see the module docstring)."""
        for number, count in await self.store.settle_in_flight(job_id, dedupes=dedupes):
            log.warning("J%d: %d rows of batch %d are unconfirmed", job_id, count, number)

    async def _launch(self, job_id: int, *, starting: bool = False) -> None:
        job = await self.store.job(job_id)
        if job is None or job_id in self.runs or (job_id in self._starting and not starting):
            return
        context = self._context(job_id, job.connection, job.kind)
        run = UndoRun(context, job, self.undos) if job.kind == "undo" else JobRun(context, job)
        self.runs[job_id] = run
        task = asyncio.get_running_loop().create_task(
            self._in_channel(job.channel, run.run), name=f"job {job.ref}"
        )
        self._tasks[job_id] = task
        task.add_done_callback(lambda done: self._ended(job_id, done))

    def _post_final(self, job: Job) -> None:
        """Post a finished job's totals in the background (``retry`` waits for it)."""
        job_id = job.id
        task = asyncio.get_running_loop().create_task(
            self.progress_of(job_id, job.kind).final(), name=f"totals of J{job_id}"
        )
        self._tasks[job_id] = task
        task.add_done_callback(lambda done: self._ended(job_id, done))

    async def _in_channel(
        self, channel: str, work: Callable[[], Coroutine[object, object, None]]
    ) -> None:
        """Run ``work`` in ``channel``'s language, not that of the request that started it
        (made here, not before: a task cancelled before it starts leaves no coroutine behind)."""
        async with self.languages.channel_scope(channel):
            await work()

    def _ended(self, job_id: int, task: asyncio.Task[None]) -> None:
        self.runs.pop(job_id, None)
        self._tasks.pop(job_id, None)
        if task.cancelled():
            return  # stopped (a stop, a lost leadership): the job goes on elsewhere
        if task.exception() is not None:
            log.error("job J%d ended with an error", job_id, exc_info=task.exception())
        if self.on_end is not None and not self.stopping:
            self.on_end(job_id)

    def _context(self, job_id: int, connection: str, kind: str = "import") -> RunContext:
        """What one run uses of the engine, and nothing more."""
        return RunContext(
            store=self.store,
            client=self.clients[connection],
            progress=self.progress_of(job_id, kind),
            messages=self.messages,
            parallel_batches=self.parallel_batches,
            alohub_outstanding=self.alohub_outstanding,
            poll_seconds=self.poll_seconds,
            stopping=lambda: self.stopping,
            watch=lambda poll: self._watch(job_id, poll),
            unwatch=lambda: self._unwatch(job_id),
        )

    def progress_of(self, job_id: int, kind: str = "import") -> Progress:
        """The progress message of a job (an undo job's has its own card and totals)."""
        if kind == "undo":
            return UndoProgress(
                self.undos,
                self.store,
                job_id,
                chat=self.chat,
                messages=self.messages,
                languages=self.languages,
                tz=self.config.tz,
                interval=self.progress_interval,
            )
        return Progress(
            self.store,
            job_id,
            chat=self.chat,
            messages=self.messages,
            languages=self.languages,
            tz=self.config.tz,
            interval=self.progress_interval,
        )


def _poll_id(job_id: int) -> str:
    return f"job-poll-{job_id}"
