"""Acked commands outlive the replica that acked them (issue 17).

``Listeners`` records each slash command and button press in ``pending_commands``
before its ack and marks it done once answered (``bot.store.pending``). This module takes
over what other replicas left: at start, and every ``PERIOD`` seconds with several
replicas (PostgreSQL), it claims the undone rows no live replica holds and runs each again
through the same listener, answering at its ``response_url``. A row received more than 30
minutes ago is not run (Slack no longer accepts its answer): it is closed with an audit
entry saying it was dropped. A stop releases this replica's unfinished rows unclaimed, so
the next replica takes them without waiting for ``STALE_AFTER``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.masking import mask
from bot.services import Services
from bot.slack.app import Listeners
from bot.store.models import AuditEntry, PendingCommand
from bot.store.pending import PendingStore

log = logging.getLogger(__name__)

# A live replica refreshes its claims every PERIOD; a claim older than STALE_AFTER is a
# dead replica's, and another replica takes its rows.
PERIOD = 10.0
STALE_AFTER = timedelta(seconds=45)
# Answered rows older than a day are deleted at start and every PRUNE_EVERY rounds.
PRUNE_EVERY = 360


class Handover:
    """Claims and answers the acked commands other replicas left undone."""

    def __init__(
        self,
        listeners: Listeners,
        pending: PendingStore,
        services: Services,
        *,
        period: float = PERIOD,
        stale_after: timedelta = STALE_AFTER,
    ) -> None:
        self.listeners = listeners
        self.pending = pending
        self.services = services
        self.period = period
        self.stale_after = stale_after
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Take what a previous process left, then keep watching for dead replicas."""
        await self.take(at_start=True)
        await self.pending.store.write(self.pending.prune)
        self._task = asyncio.create_task(self._watch(), name="pending commands handover")

    async def stop(self) -> None:
        """Stop watching (the caller releases this replica's rows once its work stopped)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def release(self) -> None:
        """Leave this replica's unfinished rows unclaimed for the next replica."""
        try:
            released = await self.pending.store.write(self.pending.release)
        except Exception:
            log.exception("could not hand the unfinished commands over")
            return
        if released:
            log.warning("handed %d unanswered command(s) over to the next replica", released)

    async def take(self, *, at_start: bool = False) -> int:
        """Claim what no live replica holds; run it again or drop it. Returns rows run."""
        claimed = await self.pending.store.write(
            self.pending.claim, stale_after=self.stale_after, at_start=at_start
        )
        for row in claimed.expired:
            await self._audit_dropped(row)
        for row in claimed.runnable:
            log.warning("answering command %d acked by a replica that stopped", row.id)
            self.listeners.replay(row)
        return len(claimed.runnable)

    async def _watch(self) -> None:
        rounds = 0
        while True:
            await asyncio.sleep(self.period)
            try:
                await self.pending.store.write(self.pending.touch)
                await self.take()
                if (rounds := rounds + 1) % PRUNE_EVERY == 0:
                    await self.pending.store.write(self.pending.prune)
            except Exception:  # the database may be back on the next round
                log.exception("could not look for commands left by other replicas")

    async def _audit_dropped(self, row: PendingCommand) -> None:
        entry = AuditEntry(
            user_id=row.user_id,
            channel_id=row.channel_id,
            command=mask(row.command, self.services.secrets),
            connection=None,
            role="unknown",
            outcome="dropped",
            detail=(
                f"acked at {row.received_at:%Y-%m-%d %H:%M:%S} UTC by a replica that stopped; "
                "not answered within the 30 minutes Slack keeps its response_url"
            ),
            duration_ms=0,
        )
        try:
            await self.services.store.audit(entry)
        except Exception:
            log.exception("could not audit dropped command %d", row.id)
