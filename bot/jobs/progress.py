"""A job's one message in its channel: posted when it starts, updated at most every few seconds,
finished with the totals and, when rows were rejected, their CSV in the thread. Everyone
there reads it: it is rendered in the channel's language (``bot.languages``).

The card is posted beside the run, not before it: on Slack a post waits for its turn in
the channel's outbox (``bot.outbox``), and the rows need not wait for it. It is posted
under the job's key (``card_key``), so a run resumed after a crash finds the card the
first one asked for rather than posting another."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import tzinfo
from typing import Any

from bot.chat import Chat
from bot.languages import Languages
from bot.messages import Messages
from bot.render.imports import final_blocks, final_summary, progress_blocks
from bot.render.jobs import job_state_words
from bot.store.jobs import JobStore

from .rejects import rejected_csv

log = logging.getLogger(__name__)

# How often, at least, the heartbeat looks at the rate-limit wait (tests run with interval 0).
HEARTBEAT_SECONDS = 0.5


class Progress:
    """Posts and updates one job's progress message; chat failures never stop the job."""

    card_wait = 5.0  # seconds a run waits for its card before sending rows without it

    def __init__(
        self,
        store: JobStore,
        job_id: int,
        *,
        chat: Chat,
        messages: Messages,
        tz: tzinfo,
        languages: Languages | None = None,
        interval: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.chat = chat
        self.messages = messages  # scoped: speaks the channel's language in ``_speaking``
        self.languages = languages  # None: ``messages`` as it is (tests of the throttle)
        self.tz = tz
        self.store = store
        self.job_id = job_id
        self.interval = interval
        self._clock = clock
        self._last = float("-inf")
        self._opening: asyncio.Task[None] | None = None
        self._slowed: tuple[str, Callable[[], float | None]] | None = None
        self._shown_wait = False  # the last render said we wait for the rate limit
        # The updates and the totals are rendered and handed to the chat one at a time, and
        # no update follows the totals: an Alohub poll still running as the job ends (its
        # schedule is removed, a poll in progress is not) would otherwise hand "running"
        # over after the totals, and the card would say so for good.
        self._saying = asyncio.Lock()
        self._ended = False

    async def open(self) -> None:
        """Post the message unless the job has one (a resumed job keeps its message). The
        run waits for it ``card_wait`` seconds at most, then goes on (a busy channel, Slack
        in trouble); the updates start once the message is out."""
        job = await self.store.job(self.job_id)
        if job is None or job.message_ts:
            return
        async with self._speaking(job.channel):
            text, blocks = await self._render(job)
        self._last = self._clock()
        self._opening = asyncio.get_running_loop().create_task(
            self._post_card(job, text, blocks), name=f"card of {job.ref}"
        )
        await asyncio.wait({self._opening}, timeout=self.card_wait)

    async def opened(self) -> None:
        """Wait until the card posted by ``open`` is out (or could not be posted)."""
        if self._opening is not None:
            await asyncio.gather(self._opening, return_exceptions=True)

    def abandon(self) -> None:
        """The run was stopped: stop waiting for the card (its post stays in the outbox)."""
        if self._opening is not None:
            self._opening.cancel()

    async def _post_card(self, job: Any, text: str, blocks: list[dict[str, Any]]) -> None:
        try:
            ts = await self.chat.post(job.channel, text, blocks, key=card_key(self.job_id))
        except Exception:
            log.exception("could not post the progress of %s", job.ref)
            return
        await self.store.set_message(self.job_id, ts)

    def watch_rate_limit(self, connection: str, slowed: Callable[[], float | None]) -> None:
        """Say in the message, while ``slowed`` gives seconds, that ``connection``'s provider
        asked us to wait (429 with Retry-After): a storm of them is not silence."""
        self._slowed = (connection, slowed)

    async def heartbeat(self) -> None:
        """Until cancelled: update the message while a rate-limit wait goes on, and once when
        it ends, at most every ``interval`` seconds (``tick``)."""
        while True:
            await asyncio.sleep(max(self.interval, HEARTBEAT_SECONDS))
            if self._waiting() is None and not self._shown_wait:
                continue
            try:
                await self.tick()
            except Exception:  # the database, for one update: the next beat tries again
                log.warning("could not update the progress of job %s", self.job_id, exc_info=True)

    def _waiting(self) -> tuple[str, float] | None:
        if self._slowed is None:
            return None
        connection, slowed = self._slowed
        seconds = slowed()
        return None if seconds is None else (connection, seconds)

    async def tick(self, processing: tuple[int, int] | None = None) -> None:
        """Update the message if the last update is at least ``interval`` seconds old."""
        if self._clock() - self._last >= self.interval:
            # Taken before the first await: ticks of parallel batches and the heartbeat
            # arriving together make one update, not one each.
            self._last = self._clock()
            await self.update(processing)

    async def update(self, processing: tuple[int, int] | None = None) -> None:
        """Show the current counts now (nothing once the totals are out)."""
        async with self._saying:
            if self._ended:
                return
            job = await self.store.job(self.job_id)
            if job is None or not job.message_ts:
                return
            self._last = self._clock()
            async with self._speaking(job.channel):
                text, blocks = await self._render(job, processing)
            await self._update(job, text, blocks)

    async def final(self) -> None:
        """The last update: totals in words; the rejected rows as a CSV in the thread. The
        job's final state is committed first (``set_state``), with the totals owed; they are
        marked posted once they are (a chat failure is logged, not tried again)."""
        await self._final()
        await self.store.final_posted(self.job_id)

    async def _final(self) -> None:
        await self.opened()  # the card first: the totals replace it
        async with self._saying:
            self._ended = True
            job = await self.store.job(self.job_id)
            if job is None:
                return
            async with self._speaking(job.channel):
                await self._final_of(job)

    async def _final_of(self, job: Any) -> None:
        counts = await self.store.counts(self.job_id)
        msg = self.messages
        reasons = await self.store.rejection_reasons(self.job_id) if counts.get("rejected") else []
        blocks = final_blocks(
            msg,
            job,
            counts,
            provider_counts=await self._provider_counts(job),
            reasons=reasons,
            tz=self.tz,
        )
        text = final_summary(msg, job, counts, reasons)
        if job.message_ts:
            # The CSV first: the totals say the rejected rows are in the thread.
            if counts.get("rejected"):
                await self._upload_rejected(job)
            await self._update(job, text, blocks)
            return
        try:
            ts = await self.chat.post(job.channel, text, blocks, key=card_key(self.job_id))
        except Exception:
            log.exception("could not post the result of %s", job.ref)
            return
        await self.store.set_message(self.job_id, ts)
        job.message_ts = ts
        if counts.get("rejected"):
            await self._upload_rejected(job)

    async def _upload_rejected(self, job: Any) -> None:
        """The CSV of the rows this attempt rejected: a retry posts only its own rejections
        (the earlier ones are in the thread already)."""
        msg = self.messages
        rows = await self.store.rejected(self.job_id, from_batch=job.retry_from)
        if not rows:
            return
        content = await asyncio.to_thread(rejected_csv, msg, rows)
        retried = job.retry_from is not None
        try:
            await self.chat.upload(
                job.channel,
                f"{job.ref}-retry-rejected.csv" if retried else f"{job.ref}-rejected.csv",
                content,
                title=msg("import.csv.title_retry" if retried else "import.csv.title", ref=job.ref),
                thread_ts=job.message_ts,
            )
        except Exception:
            log.exception("could not upload the rejected rows of %s", job.ref)

    @asynccontextmanager
    async def _speaking(self, channel: str) -> AsyncIterator[None]:
        """Render in ``channel``'s language, whoever asked (a run, or a cancel's request)."""
        if self.languages is None:
            yield
            return
        async with self.languages.channel_scope(channel):
            yield

    async def _update(self, job: Any, text: str, blocks: list[dict[str, Any]]) -> None:
        try:
            await self.chat.update(job.channel, job.message_ts, text, blocks)
        except Exception:
            log.exception("could not update the progress of %s", job.ref)

    async def _render(
        self, job: Any, processing: tuple[int, int] | None = None
    ) -> tuple[str, list[dict[str, Any]]]:
        msg = self.messages
        counts = await self.store.counts(self.job_id)
        waiting = self._waiting()
        self._shown_wait = waiting is not None
        blocks = progress_blocks(
            msg,
            job,
            counts,
            processing=processing,
            rate_limited=None if waiting is None else (waiting[0], max(1, math.ceil(waiting[1]))),
            provider_counts=await self._provider_counts(job),
            tz=self.tz,
        )
        return msg("job.card.text", ref=job.ref, state=job_state_words(msg, job, counts)), blocks

    async def _provider_counts(self, job: Any) -> dict[str, int]:
        """Alohub's duplicate/failed counts over its finished chunks (it has no per-row result)."""
        if job.provider != "alohub":
            return {}
        totals = {"duplicate": 0, "failed": 0}
        for batch in await self.store.batches(self.job_id, "done"):
            for key in totals:
                totals[key] += int((batch.detail or {}).get(key, 0))
        return totals


def card_key(job_id: int) -> str:
    """The outbox key of a job's one message."""
    return f"job:{job_id}:card"
