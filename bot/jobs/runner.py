"""One job being sent: claim a batch (committed in flight), send it, record what came of it.

Vbee, AICallCenter and OMICall batches go a few at a time and are answered row by row.
Alohub chunks each start a provider job; a few run at once and the scheduler polls them
(``poll``, every few seconds) — the runner only waits for the poll to wake it. How big a
chunk is and when the next may go is ``pacing.ChunkPacer``'s decision.

Alohub's job status gives counts, not per-row results. A chunk's rows are marked
``accepted`` when its provider job is done (each phone is then in the campaign: added, or
skipped because it was there already), and the chunk keeps Alohub's ``duplicate`` and
``failed`` counts, which the progress message shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.errors import JobLostError
from bot.messages import Messages
from bot.providers.base import ProviderClient
from bot.render.errors import describe_any
from bot.schedule import Work
from bot.store.fence import Deposed
from bot.store.jobs import Claimed, JobStore, final_state
from bot.store.models import Job

from .pacing import ChunkPacer
from .progress import Progress
from .senders import AlohubSender, SyncSender, alohub_sender, fate_of, sync_sender

log = logging.getLogger(__name__)

MAX_POLL_FAILURES = 24  # about a minute of polls that fail for another reason than a 404
MAX_LIST_TRIES = 5  # ticks a finished chunk waits for its list to be read (``/job undo``)


@dataclass(frozen=True)
class RunContext:
    """What a run uses of its engine: the engine builds one per job (``JobEngine._context``)."""

    store: JobStore
    client: ProviderClient  # the job's connection
    progress: Progress  # the job's message in its channel
    messages: Messages
    parallel_batches: int  # Vbee/AICallCenter/OMICall requests in flight at once
    alohub_outstanding: int  # Alohub provider jobs running at once
    poll_seconds: float  # how often the scheduler polls Alohub for this job
    stopping: Callable[[], bool]  # True once the bot is shutting down
    watch: Callable[[Work], None]  # poll Alohub for this job with the given tick
    unwatch: Callable[[], None]  # stop polling for this job


class Stoppable:
    """A run's stop: the first reason to stop wins, and it wakes whatever waits for work.
    ``JobRun`` and ``UndoRun`` (``bot.jobs.undo``) alike."""

    ctx: RunContext
    wake: asyncio.Event
    stopped: str | None  # cancelled | failed | lost: no more work
    reason: str | None

    def stop(self, state: str, reason: str | None = None) -> None:
        """Do no more work; the first reason to stop wins."""
        if self.stopped is None:
            self.stopped, self.reason = state, reason
        self.wake.set()

    @property
    def sending(self) -> bool:
        """True while more work may go: the job was not stopped, nor the bot."""
        return self.stopped is None and not self.ctx.stopping()


class JobRun(Stoppable):
    """Sends one job to its provider until done, failed, lost or cancelled."""

    def __init__(self, context: RunContext, job: Job) -> None:
        self.ctx = context
        self.store = context.store
        self.job = job
        self.job_id = job.id
        self.client = context.client
        self.alohub = job.provider == "alohub"
        self.progress = context.progress
        self.wake = asyncio.Event()
        self._submits = 0  # chunks handed to Alohub by this run
        self.stopped: str | None = None  # cancelled | failed | lost: no more batches
        self.reason: str | None = None
        self.processing: dict[int, tuple[int, int]] = {}  # alohub chunk → (processed, total)
        self.pacer = ChunkPacer(
            self.client.connection.batch_size,
            outstanding=context.alohub_outstanding,
            poll_seconds=context.poll_seconds,
        )
        self._poll_failures = 0
        self._list_tries: dict[int, int] = {}  # chunk → reads of its list that failed

    async def run(self) -> None:
        """Send every pending row, then finish; a bot shutting down leaves the job resumable."""
        try:
            await self.store.set_state(self.job_id, "running", fenced=True)
            await self.progress.open()
            await self._sending()
        except asyncio.CancelledError:
            self.progress.abandon()
            raise
        except Exception as error:  # a bug or the database: the job stops, the bot does not
            if _deposed(error):
                log.warning("%s: another replica leads now; it goes on with this job", self.job.ref)
                return  # its rows as the database has them: the new leader resumes them
            self.stop("failed", self._sentence(error))
        if self.stopped is None and self.ctx.stopping():
            self.progress.abandon()
            return  # still "running" in the database: the next start resumes it
        try:
            await self._finish()
        except Exception as error:
            if not _deposed(error):
                raise
            log.warning("%s: another replica leads now; it finishes this job", self.job.ref)

    async def _sending(self) -> None:
        """Send the batches; meanwhile the message says when the provider makes us wait."""
        self.progress.watch_rate_limit(self.client.name, self.client.transport.slowed)
        heartbeat = asyncio.create_task(self.progress.heartbeat())
        try:
            if self.alohub:
                await self._run_alohub()
            else:
                await self._run_sync()
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    # Vbee, AICallCenter, OMICall

    async def _run_sync(self) -> None:
        sender = sync_sender(self.client)
        size = self.client.connection.batch_size
        # A few requests at once, so the connection's rate limit and not the provider's
        # latency sets the pace; each batch is still committed in flight before it is sent.
        slots = asyncio.Semaphore(self.ctx.parallel_batches)
        async with asyncio.TaskGroup() as group:
            while self.sending:
                await slots.acquire()
                claimed = await self._claim(size) if self.sending else None
                if claimed is None:
                    slots.release()
                    return
                group.create_task(self._send(sender, claimed, slots))

    async def _send(self, sender: SyncSender, claimed: Claimed, slots: asyncio.Semaphore) -> None:
        """Send one batch and record what came of each row (or why the batch failed)."""
        try:
            try:
                outcomes = await sender.send(self.job.campaign, claimed.rows)
            except asyncio.CancelledError:
                raise  # the bot is stopping: the batch stays in flight for the restart to judge
            except Exception as error:
                row_state = fate_of(error, dedupes=False)
                batch_state = "unconfirmed" if row_state == "unconfirmed" else "failed"
                await self.store.release(
                    self.job_id, claimed.number, batch_state=batch_state, row_state=row_state
                )
                self.stop("failed", self._sentence(error))
                return
            await self.store.record(self.job_id, claimed.number, outcomes)
        finally:
            slots.release()
        await self.progress.tick()

    # Alohub

    async def _run_alohub(self) -> None:
        sender = alohub_sender(self.client)
        if await self.store.batches(self.job_id, "submitted"):
            self.ctx.watch(self.poll)  # resumed: poll the provider jobs started before
        while self.sending:
            submitted = {
                b.number: b.rows for b in await self.store.batches(self.job_id, "submitted")
            }
            if not self.pacer.may_submit(list(submitted)):
                await self._wait()
                continue
            pending = (await self.store.counts(self.job_id)).get("pending", 0)
            claimed = await self._claim(self.pacer.next_size(pending, submitted))
            if claimed is None:
                break
            list_name = await self._list_name(claimed.number)
            before = await self._lists_before(sender, list_name)
            try:
                provider_job = await sender.submit(self.job.campaign, claimed.rows, list_name)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                await self.store.release(self.job_id, claimed.number, batch_state="failed")
                self.stop("failed", self._sentence(error))
                break
            detail = {"list_name": list_name, "lists_before": before}
            await self.store.submitted(self.job_id, claimed.number, provider_job, detail)
            self._submits += 1  # before ``watch``, with no await between (see ``poll``)
            self.pacer.submitted(claimed.number)
            self.ctx.watch(self.poll)
        # Chunks already at Alohub go on there; wait for their result (a lost job has none).
        while (
            self.stopped != "lost"
            and not self.ctx.stopping()
            and await self.store.batches(self.job_id, "submitted")
        ):
            await self._wait()

    async def _list_name(self, number: int) -> str | None:
        name = self.job.list_name
        if not name:
            return None
        # Each bulk call makes a new list: number the lists of a job sent in several chunks.
        whole = number == 1 and not (await self.store.counts(self.job_id)).get("pending")
        return name if whole else f"{name} #{number}"

    async def _lists_before(self, sender: AlohubSender, name: str | None) -> list[int] | None:
        """The campaign's list ids before a chunk goes (only those named like the chunk's
        list when it has a name): the chunk's list is the new one, where ``/job undo`` finds
        the job's contacts. None when Alohub did not say: the import goes on, only its undo
        will not find that chunk's list."""
        try:
            lists = await sender.lists(self.job.campaign)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("%s: could not read the campaign's lists: %s", self.job.ref, error)
            return None
        return [list_id for list_id, list_name in lists if name is None or list_name == name]

    async def _lists_made(self, sender: AlohubSender, detail: dict[str, Any]) -> list[int] | None:
        """The lists a finished chunk made: new since it was sent, with the name it was given
        (None, not known, when the lists before are unknown: no guess that could name
        another's list)."""
        before = detail.get("lists_before")
        if before is None:
            return None
        name = detail.get("list_name")
        return [
            list_id
            for list_id, list_name in await sender.lists(self.job.campaign)
            if list_id not in before and (name is None or list_name == name)
        ]

    def _give_up_list(self, number: int, error: Exception) -> bool:
        """Count a failed read of a finished chunk's list; True after ``MAX_LIST_TRIES``."""
        tries = self._list_tries[number] = self._list_tries.get(number, 0) + 1
        log.warning("%s: chunk %d's list not read (%d): %s", self.job.ref, number, tries, error)
        return tries >= MAX_LIST_TRIES

    async def _lists_made_or_none(
        self, sender: AlohubSender, detail: dict[str, Any]
    ) -> list[int] | None:
        """``_lists_made`` for a chunk that failed or was lost: None when Alohub does not say."""
        try:
            return await self._lists_made(sender, detail)
        except Exception as error:
            log.warning("%s: could not find a failed chunk's list: %s", self.job.ref, error)
            return None

    async def _claim(self, size: int) -> Claimed | None:
        """The next batch, claimed on the store's thread. A run stopped meanwhile (a failed
        chunk, a lost job, a shutdown) sends nothing more: the batch's rows go back to
        pending. A cancel already counted a batch claimed before it as handed over (see
        ``JobStore.claim``), so that one is sent."""
        claimed = await self.store.claim(self.job_id, size)
        if claimed is not None and not self.sending and self.stopped != "cancelled":
            await self.store.release(self.job_id, claimed.number, batch_state="requeued")
            return None
        return claimed

    async def _wait(self) -> None:
        """Sleep until a poll (or a cancel) has news; callers check their condition first."""
        self.wake.clear()
        await self.wake.wait()

    async def poll(self) -> None:
        """One scheduler tick: ask Alohub about every submitted chunk of this job."""
        sender = alohub_sender(self.client)
        try:
            for batch in await self.store.batches(self.job_id, "submitted"):
                try:
                    status = await sender.poll(self.job.campaign, batch.provider_job or "0")
                except JobLostError as error:
                    await self._lost(error)
                    return
                except Exception as error:
                    await self._poll_failed(error)
                    return
                self._poll_failures = 0
                counts = {
                    "processed": status.processed_rows,
                    "failed": status.failed_rows,
                    "duplicate": status.duplicate_rows,
                    "total": status.total_rows,
                }
                if status.status == "done":
                    sent = dict(batch.detail or {})
                    made: list[int] | None
                    try:  # the chunk's list, for ``/job undo``
                        made = await self._lists_made(sender, sent)
                    except Exception as error:
                        if not self._give_up_list(batch.number, error):
                            continue  # read again at the next tick
                        made = None  # not known: the import's end does not wait on it
                    self.processing.pop(batch.number, None)
                    self.pacer.progress(batch.number, status.total_rows, status.total_rows)
                    await self.store.settle(
                        self.job_id, batch.number, {**sent, **counts, "lists": made}
                    )
                elif status.status == "failed":
                    # Rows it had not reached are not in the campaign: send them again
                    # (safe: Alohub skips the phones it has).
                    self.processing.pop(batch.number, None)
                    self.pacer.forget(batch.number)
                    # The rows it reached are in its list: keep the list for ``/job undo``.
                    sent = dict(batch.detail or {})
                    made = await self._lists_made_or_none(sender, sent)
                    await self.store.release(
                        self.job_id,
                        batch.number,
                        batch_state="failed",
                        detail={**sent, **counts, "lists": made},
                    )
                    said = status.error_message or ""
                    self.stop(
                        "failed",
                        self.ctx.messages(
                            "import.alohub_failed", connection=self.job.connection, message=said
                        ),
                    )
                else:
                    self.processing[batch.number] = (status.processed_rows, status.total_rows)
                    self.pacer.progress(batch.number, status.processed_rows, status.total_rows)
        finally:
            # The run may hand Alohub a chunk while this read is on the store's thread: its
            # ``watch`` then found this poll still scheduled, so only a poll that saw no chunk
            # submitted since it looked may stop polling (else the new chunk is never polled).
            submits = self._submits
            if not await self.store.batches(self.job_id, "submitted") and submits == self._submits:
                self.ctx.unwatch()
            self.wake.set()
        await self.progress.tick(self._processing())

    def _processing(self) -> tuple[int, int] | None:
        if not self.processing:
            return None
        done = sum(d for d, _ in self.processing.values())
        return done, sum(t for _, t in self.processing.values())

    async def _lost(self, error: JobLostError) -> None:
        """Alohub forgot its jobs (restarted): their rows go back to pending for ``/job retry``.
        The rows a lost chunk reached are in its list (a retry skips them as duplicates):
        the list is kept for ``/job undo``."""
        sender = alohub_sender(self.client)
        for batch in await self.store.batches(self.job_id, "submitted"):
            sent = dict(batch.detail or {})
            made = await self._lists_made_or_none(sender, sent)
            await self.store.release(
                self.job_id, batch.number, batch_state="lost", detail={**sent, "lists": made}
            )
        self.processing.clear()
        self.stop("lost", self._sentence(error))

    async def _poll_failed(self, error: Exception) -> None:
        self._poll_failures += 1
        log.warning("%s: poll failed (%d in a row): %s", self.job.ref, self._poll_failures, error)
        if self._poll_failures < MAX_POLL_FAILURES:
            return
        for batch in await self.store.batches(self.job_id, "submitted"):
            await self.store.release(self.job_id, batch.number, batch_state="failed")
        self.stop("failed", self._sentence(error))

    # End

    async def _finish(self) -> None:
        """Record the final state and post the totals."""
        self.ctx.unwatch()
        # A batch still in flight here was interrupted by an error of ours, not a crash.
        await self.store.settle_in_flight(self.job_id, dedupes=self.alohub)
        state = self.stopped or final_state(await self.store.counts(self.job_id))
        await self.store.set_state(self.job_id, state, reason=self.reason, fenced=True)
        await self.progress.final()

    def _sentence(self, error: BaseException) -> str:
        # Rows a failed create may have added are counted ``unconfirmed`` on the card, with
        # their own retry: the check is the campaign's, not one contact's lookup.
        msg = self.ctx.messages
        return describe_any(error, msg, check=msg("provider.check.job"))


def _deposed(error: BaseException) -> bool:
    """Whether ``error`` is (or a task group's holds) a write refused to a deposed leader."""
    if isinstance(error, BaseExceptionGroup):
        return any(_deposed(inner) for inner in error.exceptions)
    return isinstance(error, Deposed)
