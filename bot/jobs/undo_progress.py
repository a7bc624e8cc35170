"""An undo job's one message in its channel: the card while it runs, then the totals in
words and, when contacts stayed in the campaign, their CSV in the thread."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.render.undo import (
    original_ref,
    undo_card,
    undo_final_blocks,
    undo_summary,
    undo_text,
)
from bot.store.undo import UndoStore

from .progress import Progress, card_key
from .rejects import kept_csv

log = logging.getLogger(__name__)


class UndoProgress(Progress):
    """``Progress`` with an undo's card and totals (same posting, throttling, failures and
    channel language)."""

    def __init__(self, undo: UndoStore, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.undo = undo

    async def _render(
        self, job: Any, processing: tuple[int, int] | None = None
    ) -> tuple[str, list[dict[str, Any]]]:
        counts = await self.store.counts(self.job_id)
        planned = await self.undo.planned(self.job_id)
        blocks = undo_card(self.messages, job, counts, planned=planned, tz=self.tz)
        return undo_text(self.messages, job), blocks

    async def _final_of(self, job: Any) -> None:
        counts = await self.store.counts(self.job_id)
        plan = await self.undo.plan_detail(self.job_id)
        summary = undo_summary(self.messages, job, counts, plan)
        blocks = undo_final_blocks(self.messages, job, counts, plan, tz=self.tz)
        if not job.message_ts:
            try:
                job.message_ts = await self.chat.post(
                    job.channel, summary, blocks, key=card_key(self.job_id)
                )
            except Exception:
                log.exception("could not post the result of %s", job.ref)
                return
            await self.store.set_message(self.job_id, job.message_ts)
            if counts.get("kept"):
                await self._upload_kept(job)
            return
        if counts.get("kept"):  # the CSV first: the totals say it is in the thread
            await self._upload_kept(job)
        await self._update(job, summary, blocks)

    async def _upload_kept(self, job: Any) -> None:
        rows = await self.undo.kept(self.job_id)
        if not rows:
            return
        content = await asyncio.to_thread(kept_csv, self.messages, rows)
        original = original_ref(job)
        try:
            await self.chat.upload(
                job.channel,
                f"{job.ref}-undo-{original}-kept.csv",
                content,
                title=self.messages("job.undo.csv.title", original=original, campaign=job.campaign),
                thread_ts=job.message_ts,
            )
        except Exception:
            log.exception("could not upload the contacts %s kept", job.ref)
