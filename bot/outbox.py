"""One outbox for what the bot says in channels on its own: paced, coalesced, stored, sent once.

Slack takes about one message a second per channel and hides the rest ("Due to a high
volume of activity…"). Job cards and results, summaries and audit copies therefore go
through ``OutboxChat``, the ``Chat`` port on top of this outbox:

- every post and update is a row of ``outbox_messages`` (``bot.store.outbox``) first, so
  it survives a restart; any replica enqueues;
- the leader (``bot.leader``) sends: one worker per channel, rows in order, at most one
  call per ``pace_seconds`` per channel, channels independent. One sender, because the
  leader is already fenced (never two at once) and a channel's pace is then one clock in
  one process; each row is still claimed by a compare-and-set, so a leader that lost its
  lock but is still sending never sends the row its successor took;
- an update of a message replaces a pending update of the same message (only the newest
  words are worth sending; the last always arrives);
- Slack's ``ratelimited`` (HTTP 429): slack_sdk's ``AsyncRateLimitErrorRetryHandler``
  (``bot.slack.app.web_client``) waits out ``Retry-After`` and tries again inside the call;
  past its tries the row waits ``Retry-After`` here, never counted as a failure. A server
  error or no answer: tried again after the project's one retry policy's backoff
  (``bot.providers.retry.RetryPolicy``), given up after its attempts (logged, the row
  kept as ``failed`` with the error); any other refusal (``channel_not_found``…) at once;
- ``post`` returns the message's ts, so it waits for its row to be sent; ``update``
  returns once its row is stored. A ``key`` names a message that must exist once (a
  job's card): a post with a key already stored joins that row, so a job resumed after
  a crash finds the card its first run asked for instead of posting a second one.

Sent once: a row is marked ``sending`` (committed) before its call and ``sent`` right after
Slack answers. A replica that dies between Slack's answer and that commit (one small
write) leaves a ``sending`` row; ``claim_seconds`` later the leader sends it again: a post
then appears twice (an update is only repeated, harmless). That is the double-send window.
A leader that loses its lock starts no call more but lets the one in flight be answered
and recorded (cancelling it could not take it back from Slack); a graceful stop gives
its calls ``stop_grace`` seconds, then cancels them: a call cancelled after Slack took it
is the same window. ``send_timeout`` keeps a call shorter than ``claim_seconds``, so no
other replica sends a row while its sender still waits for Slack.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.chat import Chat, ChatUnavailable, Undelivered
from bot.providers.retry import RetryPolicy
from bot.replies import Blocks
from bot.store import Store
from bot.store.models import OutboxMessage, utcnow
from bot.store.outbox import OutboxStore

log = logging.getLogger(__name__)

# Slack is down for a while more often than a provider: up to ten tries, a minute apart at most.
SLACK_RETRY = RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=60.0)
PRUNE_AFTER = timedelta(days=1)
PRUNE_EVERY = 600.0  # seconds


def replica_id() -> str:
    """Who claims a row: this host, this process, this start."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Outbox:
    """Stores what is to be said and, on the leader, says it at Slack's pace."""

    pace_seconds = 1.0  # per channel: Slack's "about one message a second"
    poll_seconds = 1.0  # how often the leader looks for rows other replicas stored
    claim_seconds = 60.0  # a claim older than this is a dead sender's
    send_timeout = 45.0  # one call, slack_sdk's own 429 waits included (< claim_seconds)
    stop_grace = 5.0  # a graceful stop lets the calls in flight be answered this long

    def __init__(
        self, store: Store, chat: Chat, *, policy: RetryPolicy = SLACK_RETRY, me: str = ""
    ) -> None:
        self.rows = OutboxStore(store)
        self.chat = chat  # the port that really sends (Slack)
        self.policy = policy
        self.me = me or replica_id()
        self.leads = False
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()  # channels enqueued to while their worker ran
        self._last: dict[str, float] = {}  # channel → monotonic time of its last call
        self._settled: dict[int, asyncio.Event] = {}
        self._calling: set[str] = set()  # channels whose worker is in a call to Slack
        self._poller: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._pruned = 0.0

    # Enqueueing (any replica)

    async def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        *,
        key: str | None = None,
    ) -> str:
        """Store a post, wait until it is sent; its ts. ``Undelivered`` if given up."""
        enqueued = await self.rows.enqueue_post(channel, text, blocks, thread_ts=thread_ts, key=key)
        self._kick(channel)
        ts = await self.delivered(enqueued.id)
        if enqueued.restated:  # the keyed message was already out, with older words
            await self.update(channel, ts, text, blocks)
        return ts

    async def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        """Store an update (replacing a pending one of the same message); sent later."""
        await self.rows.enqueue_update(channel, ts, text, blocks)
        self._kick(channel)

    async def delivered(self, row_id: int) -> str:
        """The ts once the row is sent; ``Undelivered`` once it failed. Told at once when
        this replica sends it, else seen in the database within ``poll_seconds``."""
        settled = self._settled.setdefault(row_id, asyncio.Event())
        try:
            while True:
                row = await self.rows.row(row_id)
                if row is None:
                    raise Undelivered(f"outbox row {row_id} is gone")
                if row.state == "sent" and row.ts:
                    return row.ts
                if row.state == "failed":
                    raise Undelivered(row.error or "failed")
                try:
                    async with asyncio.timeout(self.poll_seconds):
                        await settled.wait()
                except TimeoutError:
                    pass
                settled.clear()
        finally:
            self._settled.pop(row_id, None)

    # Sending (the leader)

    async def start(self) -> None:
        """Lead: send what is stored, and look for new rows every ``poll_seconds``."""
        self.leads = True
        self._poller = asyncio.get_running_loop().create_task(self._poll(), name="outbox")

    async def stop(self, grace: float | None = None) -> None:
        """Start no call more. A graceful stop lets the calls in flight be answered
        ``grace`` seconds, then cancels them (their rows are sent again by the next leader
        after ``claim_seconds``). With no grace (the lock lost) a call in flight is not
        cancelled: cancelling cannot take back what Slack may have received, and recording
        its answer keeps the row from being sent twice; its worker ends after it."""
        self.leads = False
        self._wake.set()
        grace = self.stop_grace if grace is None else grace
        tasks = [t for t in (self._poller, *self._workers.values()) if t is not None]
        if grace > 0 and tasks:
            await asyncio.wait(tasks, timeout=grace)
        elif grace <= 0:
            calling = {self._workers.get(channel) for channel in self._calling}
            tasks = [t for t in tasks if t not in calling]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._poller = None

    def _kick(self, channel: str) -> None:
        """A row was stored here: send it now when leading (else the leader's poll finds it)."""
        if self.leads:
            self._drain(channel)

    def _drain(self, channel: str) -> None:
        worker = self._workers.get(channel)
        if worker is not None and not worker.done():
            self._again.add(channel)
            return
        task = asyncio.get_running_loop().create_task(
            self._channel(channel), name=f"outbox {channel}"
        )
        self._workers[channel] = task
        task.add_done_callback(lambda done: self._ended(channel, done))

    def _ended(self, channel: str, task: asyncio.Task[None]) -> None:
        if self._workers.get(channel) is task:
            del self._workers[channel]
        if not task.cancelled() and task.exception() is not None:
            log.error("the outbox of %s stopped", channel, exc_info=task.exception())
        if self.leads and not task.cancelled() and channel in self._again:
            self._again.discard(channel)
            self._drain(channel)

    async def _poll(self) -> None:
        while self.leads:
            try:
                for channel in await self.rows.channels_due(self.me, self._stale()):
                    if self.leads:
                        self._drain(channel)
                await self._prune()
            except Exception:  # the database: try again at the next poll
                log.exception("could not look for messages to send")
            self._wake.clear()
            try:
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def _channel(self, channel: str) -> None:
        """Send a channel's rows in order, one call per ``pace_seconds``, until none is left."""
        while self.leads:
            self._again.discard(channel)
            head = await self.rows.head(channel, self.me, self._stale())
            if head is None:
                return
            wait = max(self._last.get(channel, float("-inf")) + self.pace_seconds - _now(), 0.0)
            if head.not_before is not None:
                wait = max(wait, (head.not_before - utcnow()).total_seconds())
            if wait > 0:
                await asyncio.sleep(wait)
                if not self.leads:
                    return
            row = await self.rows.claim(head.id, self.me, self._stale())
            if row is not None:
                await self._send(row)

    async def _send(self, row: OutboxMessage) -> None:
        self._calling.add(row.channel)
        try:
            await self._try(row)
        finally:
            self._calling.discard(row.channel)

    async def _try(self, row: OutboxMessage) -> None:
        try:
            async with asyncio.timeout(self.send_timeout):
                ts = await self._call(row)
        except (ChatUnavailable, TimeoutError) as error:
            self._last[row.channel] = _now()
            await self._later(row, error)
            return
        except Exception as error:  # Slack refused it for good: say so in the log, keep it
            self._last[row.channel] = _now()
            log.error("Slack refused outbox message %d for %s: %s", row.id, row.channel, error)
            await self.rows.failed(row.id, _brief(error))
            self._tell(row.id)
            return
        self._last[row.channel] = _now()
        await self.rows.sent(row.id, ts)
        self._tell(row.id)

    async def _call(self, row: OutboxMessage) -> str:
        if row.kind == "post":
            return await self.chat.post(row.channel, row.text, row.blocks, row.thread_ts)
        assert row.ts is not None
        await self.chat.update(row.channel, row.ts, row.text, row.blocks)
        return row.ts

    async def _later(self, row: OutboxMessage, error: ChatUnavailable | TimeoutError) -> None:
        """Not sent this time: wait ``Retry-After`` (a 429), or back off and count the try."""
        after = error.retry_after if isinstance(error, ChatUnavailable) else None
        reason = error.reason if isinstance(error, ChatUnavailable) else "no answer in time"
        if after is not None:
            log.info("Slack rate-limits %s: message %d waits %.0fs", row.channel, row.id, after)
            not_before = utcnow() + timedelta(seconds=self.policy.delay(1, after))
            await self.rows.later(row.id, not_before, reason, counts=False)
            return
        attempt = row.attempts + 1
        if attempt >= self.policy.max_attempts:
            log.error(
                "Slack failed outbox message %d for %s %d times (%s): given up, kept in"
                " outbox_messages",
                row.id,
                row.channel,
                attempt,
                reason,
            )
            await self.rows.failed(row.id, reason)
            self._tell(row.id)
            return
        delay = self.policy.delay(attempt)
        log.warning(
            "Slack failed outbox message %d for %s (%s): trying again in %.1f s",
            row.id,
            row.channel,
            reason,
            delay,
        )
        await self.rows.later(row.id, utcnow() + timedelta(seconds=delay), reason, counts=True)

    def _tell(self, row_id: int) -> None:
        settled = self._settled.get(row_id)
        if settled is not None:
            settled.set()

    def _stale(self) -> datetime:
        return utcnow() - timedelta(seconds=self.claim_seconds)

    async def _prune(self) -> None:
        if _now() - self._pruned < PRUNE_EVERY:
            return
        self._pruned = _now()
        await self.rows.prune(utcnow() - PRUNE_AFTER)


def _now() -> float:
    return time.monotonic()


def _brief(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


class OutboxChat:
    """The ``Chat`` port with posts and updates going through the outbox; the rest direct."""

    def __init__(self, outbox: Outbox, chat: Chat) -> None:
        self.outbox = outbox
        self.direct = chat

    async def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        *,
        key: str | None = None,
    ) -> str:
        """Post through the outbox; returns the ts once Slack has the message."""
        return await self.outbox.post(channel, text, blocks, thread_ts, key=key)

    async def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        """Update through the outbox: stored now, sent at the channel's pace."""
        await self.outbox.update(channel, ts, text, blocks)

    async def upload(
        self,
        channel: str,
        filename: str,
        content: bytes | Path,
        *,
        title: str = "",
        thread_ts: str | None = None,
        comment: str | None = None,
    ) -> None:
        """Upload directly (a file is not stored in the database)."""
        await self.direct.upload(
            channel, filename, content, title=title, thread_ts=thread_ts, comment=comment
        )

    async def ephemeral(
        self, channel: str, user: str, text: str, blocks: Blocks | None = None
    ) -> None:
        """Directly: one user's message, outside the channel's pace."""
        await self.direct.ephemeral(channel, user, text, blocks)

    async def user_email(self, user_id: str) -> str | None:
        """Directly."""
        return await self.direct.user_email(user_id)

    async def user_locale(self, user_id: str) -> str | None:
        """Directly."""
        return await self.direct.user_locale(user_id)

    async def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        """Directly: a user's Home is not a channel message."""
        await self.direct.publish_home(user_id, view)

    async def member_channels(self, user_id: str) -> frozenset[str] | None:
        """Directly."""
        return await self.direct.member_channels(user_id)

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        """Directly: a modal is not a channel message."""
        await self.direct.update_view(view_id, view)

    async def download(self, url: str, dest: Path) -> int:
        """Directly."""
        return await self.direct.download(url, dest)
