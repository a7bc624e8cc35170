"""One undo job running: find an import's contacts at Alohub, delete those still pending.

The import's contacts are those in the lists its chunks made (recorded when each chunk
ended, ``JobRun._lists_made``) whose phone the import sent. Alohub deletes only a contact
still pending (alohub-campaign-contacts.txt:390: ``processStatus=0``; 1 in a call and 2
processed cannot be deleted): those found in a call or processed are kept and never sent.

The plan (every contact found) is committed before the first DELETE, and each contact is
committed ``sent`` before its DELETE. A contact found ``sent`` when a run starts (the bot
stopped before recording the answer) is looked up in its list rather than deleted again,
once that DELETE has had its time to arrive (the connection's timeouts; the other contacts
go meanwhile): gone means our DELETE went through, still there and pending means it goes
again.
Requests go through the connection's client, so its rate limit paces the deletes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from typing import Any

from bot.errors import InvalidStateError, NotFoundError, ProviderError
from bot.phonefast import match_key
from bot.providers.alohub import AlohubClient
from bot.render.errors import describe_any
from bot.store.fence import Deposed
from bot.store.models import Job
from bot.store.undo import NOT_PENDING, Found, ToDelete, UndoStore, kept_reason

from .runner import RunContext, Stoppable
from .senders import fate_of

log = logging.getLogger(__name__)

PAGE = 100  # contacts per page when reading a list (Alohub's default is 20)


class UndoRun(Stoppable):
    """Deletes the pending contacts of one import; the same face to the engine as ``JobRun``."""

    def __init__(self, context: RunContext, job: Job, undo: UndoStore) -> None:
        if not isinstance(context.client, AlohubClient):
            raise TypeError(f"{type(context.client).__name__} cannot delete contacts")
        self.ctx = context
        self.store = context.store
        self.undo = undo
        self.client: AlohubClient = context.client
        self.job = job
        self.job_id = job.id
        self.progress = context.progress
        self.wake = asyncio.Event()
        self.stopped: str | None = None  # cancelled | failed
        self.reason: str | None = None

    async def run(self) -> None:
        """Plan (once), settle what a stop left in flight, delete, finish."""
        try:
            await self.store.set_state(self.job_id, "running")
            await self.progress.open()
            started = time.monotonic()
            if not await self.undo.planned(self.job_id):
                await self._plan()
                await self.progress.update()
            earlier = await self.undo.in_flight(self.job_id)  # a stop left them unanswered
            await self._delete_all()
            if earlier and self.sending:
                await self._until_answered(started)
                await self._check_in_flight()
                await self._delete_all()  # those still there and pending go now
        except asyncio.CancelledError:
            raise
        except Deposed:  # another replica leads: it resumes the undo from the database
            log.warning("%s: another replica leads now: it resumes the undo", self.job.ref)
            return
        except Exception as error:  # the provider, the database or a bug: the undo stops
            self.stop("failed", describe_any(error, self.ctx.messages))
        if self.stopped is None and self.ctx.stopping():
            return  # still "running": the next leader resumes it
        await self._finish()

    # Plan

    async def _plan(self) -> None:
        """Every contact of the import's lists with a phone it sent, stored at once."""
        original = self.job.undo_of or 0
        traces = await self.undo.traces(original)
        wanted: dict[str, str] = {}
        for sent in traces.phones:
            key = match_key(sent)
            if key is not None:
                wanted[key] = sent
        found: list[Found] = []
        matched: set[str] = set()
        missing_lists = 0
        for list_id in traces.lists:
            if not self.sending:
                return  # cancelled or stopping before the plan: nothing stored, nothing sent
            try:
                async for contact in self.client.contacts(self.job.campaign, list_id, PAGE):
                    found_key = match_key(contact.phone_number)
                    phone = wanted.get(found_key or "")
                    if phone is None:
                        continue  # not a phone this import sent: never its contact
                    matched.add(phone)
                    line, name = traces.phones[phone]
                    found.append(
                        Found(
                            line,
                            phone,
                            name,
                            contact.contact_id,
                            list_id,
                            contact.process_status,
                        )
                    )
            except NotFoundError:
                missing_lists += 1  # the list was deleted at Alohub: nothing of it is left
        detail: dict[str, Any] = {
            "phones": len(traces.phones),
            "not_found": len(traces.phones) - len(matched),
            "lists": traces.lists,
            "missing_lists": missing_lists,
            "unlisted_chunks": traces.chunks_unlisted,
            "unlisted_rows": traces.rows_unlisted,
        }
        await self.undo.store_plan(self.job_id, found, detail)

    # Deletes

    async def _delete_all(self) -> None:
        """A few deletes at once; the connection's rate limit sets the pace."""
        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, self.ctx.parallel_batches)):
                group.create_task(self._deleter())

    async def _deleter(self) -> None:
        while self.sending:
            item = await self.undo.claim(self.job_id)
            if item is None:
                return
            if not self.sending and self.stopped != "cancelled":
                await self.undo.settle(item.row_id, "pending")  # shutting down: not sent
                return
            if not await self._delete(item):
                return
            await self.progress.tick()

    async def _delete(self, item: ToDelete) -> bool:
        """Delete one contact and record what came of it; False when the undo must stop."""
        try:
            await self.client.delete_contact(self.job.campaign, item.contact_id)
        except asyncio.CancelledError:
            raise  # stays ``sent``: the next run looks it up once its time has passed
        except InvalidStateError:
            await self.undo.settle(item.row_id, "kept", NOT_PENDING)  # called meanwhile
        except NotFoundError:
            await self.undo.settle(item.row_id, "gone")  # deleted by someone else meanwhile
        except ProviderError as error:
            if fate_of(error, dedupes=False) == "pending":
                await self.undo.settle(item.row_id, "pending")  # the request was not acted on
            # else it stays ``sent``: looked up in its list before the undo ends
            self.stop("failed", describe_any(error, self.ctx.messages))
            return False
        else:
            await self.undo.settle(item.row_id, "removed")
        return True

    async def _until_answered(self, started: float) -> None:
        """Wait until a DELETE the last run sent has had its time to arrive (the client's
        timeouts), so a contact found still there is not deleted by that request later:
        one looked up too soon would be asked to go twice. A stop ends the wait."""
        connection = self.client.connection
        window = connection.connect_timeout + connection.read_timeout
        left = started + window - time.monotonic()
        if left > 0:
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), left)

    async def _check_in_flight(self) -> None:
        """Settle the contacts whose DELETE was sent but not answered, from their lists."""
        rows = await self.undo.in_flight(self.job_id)
        if not rows:
            return
        by_list: dict[int, list[ToDelete]] = defaultdict(list)
        for row in rows:
            by_list[row.list_id].append(row)
        for list_id, items in by_list.items():
            present: dict[str, int] = {}
            try:
                async for contact in self.client.contacts(self.job.campaign, list_id, PAGE):
                    present[str(contact.contact_id)] = contact.process_status
            except NotFoundError:
                pass  # the list is gone, and the contacts with it
            for item in items:
                status = present.get(item.contact_id)
                if status is None:
                    log.info("%s: contact %s was deleted", self.job.ref, item.contact_id)
                    await self.undo.settle(item.row_id, "removed")
                elif status == 0:
                    await self.undo.settle(item.row_id, "pending")  # not deleted: goes again
                else:
                    await self.undo.settle(item.row_id, "kept", kept_reason(status))

    # End

    async def _finish(self) -> None:
        """Look up what is still in flight, record the final state, post the totals."""
        try:
            await self._check_in_flight()
        except Exception as error:  # still unknown: the totals say so
            log.warning("%s: could not check the deletes in flight: %s", self.job.ref, error)
        await self.store.set_state(
            self.job_id, self.stopped or "done", reason=self.reason, fenced=True
        )
        await self.progress.final()
