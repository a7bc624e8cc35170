"""Threshold alerts: every 5 minutes the leader checks each rule on its window's call records
and says what changed, once.

``check_due(now)`` decides and posts; APScheduler only calls it (tests pass ``now``). Each
rule's check claims its 5-minute slot in the database first (``AlertStore.claim``), so
a restart, a second trigger or a new leader never checks a slot twice. State before words:
the new state and the event to announce are committed (``posting``) before the post, and
a post that a crash interrupted is asked again of the outbox by its key as the next leader
starts (``AlertStore.unfinished``): it is in the channel once, neither repeated nor
forgotten. The figures come from the same streaming aggregation as ``/calls``
(``bot.calls.fetch_window_stats``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.alerts.render import (
    alert_post,
    back_text,
    condition_of,
    down_text,
    recovered_note,
    recovered_text,
    removed_note,
    rule_text,
)
from bot.alerts.rules import CHECK_MINUTES, RuleSpec, step
from bot.args import is_number
from bot.calls import fetch_window_stats
from bot.chat import Chat, Undelivered
from bot.config import Config
from bot.errors import CallopsError, UserInputError
from bot.languages import Languages
from bot.messages import Messages
from bot.providers.aicallcenter import AICallCenterClient
from bot.providers.registry import Clients
from bot.render import formats
from bot.render.errors import describe_any
from bot.replies import Blocks
from bot.schedule import Scheduler
from bot.stats import CallStats
from bot.store import Store
from bot.store.alerts import AlertStore, NewEvent, Settled
from bot.store.fence import Deposed
from bot.store.models import AlertEvent, AlertRule

log = logging.getLogger(__name__)

__all__ = [
    "CHECK_SECONDS",
    "MAX_RULES",
    "MUTE",
    "STOP_GRACE",
    "AlertService",
    "Checked",
    "OpenAlert",
    "slot_of",
]

CHECK_ID = "alerts-check"
CHECK_SECONDS = CHECK_MINUTES * 60
MUTE = timedelta(hours=1)
MAX_RULES = 20  # per channel
STOP_GRACE = 5.0  # seconds a stopping leader lets a check in progress finish


# One check's fetches, by (connection, campaign, window minutes): rules reading the same
# window share them (a failure too: the provider is down for all of them).
Windows = dict[tuple[str, str | None, int], "asyncio.Future[CallStats]"]


def slot_of(now: datetime) -> int:
    """The 5-minute slot ``now`` falls in (epoch seconds // 300)."""
    return int(now.timestamp()) // CHECK_SECONDS


@dataclass(frozen=True, slots=True)
class OpenAlert:
    """An open alert as another surface shows it: its channel, what fired, its key."""

    channel: str
    text: str
    key: str


@dataclass(frozen=True, slots=True)
class Checked:
    """What one rule's check did: its state after, and the events it recorded."""

    rule_id: int
    state: str
    events: tuple[str, ...] = ()


class _ConnectionGone(CallopsError):
    """The rule names a connection callops.yml no longer has."""

    def __init__(self, connection: str) -> None:
        super().__init__(connection)
        self.connection = connection


def _refused(error: Exception) -> bool:
    """Nothing was posted: the outbox gave the message up (``Undelivered``: Slack refused
    it, or kept failing), or Slack itself answered ``ok: false`` (its ``response``). A
    timeout or a cut connection, without the outbox, has no answer: it may be there."""
    return isinstance(error, Undelivered) or getattr(error, "response", None) is not None


class AlertService:
    """Rules of the channels, checked on the leader; the buttons of the alerts it posts."""

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
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.config = config
        self.store = AlertStore(store)
        self.clients = clients
        # Scoped: what a rule says in its channel is said in the channel's language.
        self.messages = messages
        self.languages = languages
        self.chat = chat
        self.scheduler = scheduler
        self._clock = clock or (lambda: datetime.now(config.tz))
        self._running: asyncio.Task[Any] | None = None
        self._resuming: asyncio.Future[None] | None = None  # the posts a stop left undone

    # Lifecycle (on the leader)

    async def start(self) -> None:
        """Finish the posts a stopped leader left half done; check every 5 minutes."""
        self._resuming = asyncio.ensure_future(self._resume())
        self.scheduler.every(CHECK_ID, CHECK_SECONDS, self._tick, first_in=CHECK_SECONDS)

    async def _resume(self) -> None:
        """Ask the outbox again, by their keys, for the posts a stop left ``posting``: each
        message is then in the channel once, and an alert gets its ts (its "recovered"
        goes in its thread). In the background: a post waits for the outbox to send it."""
        try:
            unfinished = await self.store.unfinished()
            if unfinished:
                log.warning("%d alert post(s) a stop left undone: asked again", len(unfinished))
            for event in unfinished:
                rule = await self.store.rule(event.rule_id)
                if rule is None:  # removed meanwhile: its words are gone with it
                    await self.store.posted(event.id, "interrupted", None)
                    continue
                async with self.languages.channel_scope(rule.channel):
                    text, blocks = self._words(rule, event)
                    await self._post(event, rule.channel, text, blocks, event.thread_ts)
        except Deposed:
            log.warning("another replica leads now: it checks the alert rules")

    async def stop(self, grace: float = 0.0) -> None:
        """Stop checking. A check in progress gets ``grace`` seconds to finish (a stop,
        not a lost lock), then is cancelled: the rules it did not reach wait for the next
        leader's check, and a post it was sending is asked again by the next leader."""
        self.scheduler.remove(CHECK_ID)
        running, self._running = self._running, None
        resuming, self._resuming = self._resuming, None
        tasks = {t for t in (running, resuming) if t is not None and not t.done()}
        if not tasks:
            return
        if grace > 0:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _tick(self) -> None:
        self._running = asyncio.current_task()
        try:
            await self.check_due(self._clock())
        except Deposed:
            log.warning("another replica leads now: it checks the alert rules")
        finally:
            self._running = None

    # Rules

    async def add(self, channel: str, connection: str, spec: RuleSpec, user: str) -> AlertRule:
        """Save a rule for the channel."""
        if await self.store.count(channel) >= MAX_RULES:
            raise UserInputError("alerts.too_many", count=MAX_RULES)
        condition = spec.condition
        rule = AlertRule(
            channel=channel,
            connection=connection,
            metric=condition.metric.name,
            op=condition.op,
            threshold=condition.threshold,
            window_minutes=spec.window_minutes,
            min_calls=spec.min_calls,
            campaign=spec.campaign,
            created_by=user,
            created_at=self._clock(),
            state="ok",
        )
        return await self.store.add(rule, rule_text(rule))

    async def remove(self, channel: str, rule_id: int, user: str) -> AlertRule | None:
        """Delete the channel's rule ``rule_id``."""
        rule = await self.store.rule(rule_id)
        if rule is None or rule.channel != channel:
            return None
        removed = await self.store.remove(rule_id, channel, user, rule_text(rule))
        if removed is not None:  # an open alert of it says so, without its buttons
            async with self.languages.channel_scope(channel) as msg:
                await self._close_alert(
                    removed, removed_note(msg, user, self._clock(), self.config.tz)
                )
        return removed

    # Checks

    async def check_due(self, now: datetime) -> list[Checked]:
        """Check every rule once for the slot of ``now``; what each check did. Rules that
        read the same window (connection, campaign, length) share one fetch."""
        if self._resuming is not None:  # an alert's ts first: its "recovered" needs it
            await asyncio.gather(asyncio.shield(self._resuming), return_exceptions=True)
        results = []
        windows: Windows = {}
        for rule in await self.store.rules():
            try:
                checked = await self.check(rule.id, now, windows=windows)
            except (asyncio.CancelledError, Deposed):
                raise
            except Exception:
                log.exception("the check of alert rule #%d failed", rule.id)
                continue
            if checked is not None:
                results.append(checked)
        return results

    async def check(
        self, rule_id: int, now: datetime, *, windows: Windows | None = None
    ) -> Checked | None:
        """Check one rule for the slot of ``now``; None when that slot was checked already."""
        slot = slot_of(now)
        rule = await self.store.claim(rule_id, slot)
        if rule is None:
            return None
        async with self.languages.channel_scope(rule.channel):  # everyone there reads it
            return await self._check(rule, slot, now, {} if windows is None else windows)

    async def _check(
        self, rule: AlertRule, slot: int, now: datetime, windows: Windows
    ) -> Checked | None:
        try:
            stats = await self._measure(rule, now, windows)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            return await self._unreadable(rule, slot, now, error)
        condition = condition_of(rule)
        value, calls = condition.metric.value(stats), stats.total
        outcome = step(rule.state, condition, value, calls, rule.min_calls)
        changes: dict[str, Any] = {
            "state": outcome.state,
            "checked_at": now,
            "last_value": value,
            "last_calls": calls,
        }
        if outcome.state != rule.state:
            changes["since"] = now
        events: list[NewEvent] = []
        if rule.down_since is not None:
            changes.update(down_since=None, down_reason=None)
            events.append(NewEvent("back", post="posting"))
        muted = rule.muted_until is not None and rule.muted_until > now
        if outcome.event == "fired":
            post = "muted" if muted else "posting"
            changes.update(alert_post=post, alert_ts=None, acked_by=None, acked_at=None)
            events.append(NewEvent("fired", post=post, value=value, calls=calls))
        elif outcome.event == "recovered":
            # Said in the alert's thread when the alert is in the channel; an alert held
            # back by a mute, and never shown, recovers quietly.
            said = rule.alert_post in ("posted", "interrupted")
            changes.update(fired_event_id=None, alert_post=None, alert_ts=None)
            changes.update(acked_by=None, acked_at=None)
            post = "posting" if said else "none"
            recovered = NewEvent(
                "recovered", post=post, value=value, calls=calls, thread_ts=rule.alert_ts
            )
            events.append(recovered)
        settled = await self.store.settle(rule.id, slot, changes, events, rule_text(rule))
        if settled is None:
            return None  # a later check took the rule meanwhile: it says what is true now
        await self._say(settled, before=rule)
        if settled.rule.state == "firing" and outcome.event != "fired" and not muted:
            await self._post_held_back(settled.rule)
        return Checked(rule.id, settled.rule.state, tuple(e.kind for e in settled.events))

    async def _measure(self, rule: AlertRule, now: datetime, windows: Windows) -> CallStats:
        """The statistics of the rule's window ending at ``now`` (fetched once per check)."""
        key = (rule.connection, rule.campaign, rule.window_minutes)
        fetch = windows.get(key)
        if fetch is None:
            fetch = windows[key] = asyncio.ensure_future(self._fetch(rule, now))
        return await fetch

    async def _fetch(self, rule: AlertRule, now: datetime) -> CallStats:
        if rule.connection not in self.config.connections:
            raise _ConnectionGone(rule.connection)
        client = self.clients[rule.connection]
        if not isinstance(client, AICallCenterClient):
            raise _ConnectionGone(rule.connection)
        end_ms = int(now.timestamp() * 1000)
        start_ms = end_ms - rule.window_minutes * 60_000
        return await fetch_window_stats(client, start_ms, end_ms, campaign=rule.campaign)

    async def _unreadable(
        self, rule: AlertRule, slot: int, now: datetime, error: Exception
    ) -> Checked | None:
        """The provider could not be read: say so once, then nothing until it answers.

        The rule's state is left as it was: a check that read nothing is neither bad nor
        good, so an alert stays open and a pending rule still needs its second bad check.
        """
        changes: dict[str, Any] = {"checked_at": now}
        events = []
        if rule.down_since is None:
            reason = self._reason(error)
            changes.update(down_since=now, down_reason=reason)
            events.append(NewEvent("down", post="posting", detail=reason))
        else:
            log.info("alert rule #%d: the provider is still unreachable", rule.id)
        settled = await self.store.settle(rule.id, slot, changes, events, rule_text(rule))
        if settled is None:
            return None
        await self._say(settled, before=rule)
        return Checked(rule.id, settled.rule.state, tuple(e.kind for e in settled.events))

    def _reason(self, error: Exception) -> str:
        if isinstance(error, _ConnectionGone):
            return self.messages("alerts.connection_gone", connection=error.connection)
        return describe_any(error, self.messages)

    # Posting (after the state is committed)

    async def _say(self, settled: Settled, *, before: AlertRule) -> None:
        rule = settled.rule
        for event in settled.events:
            if event.post != "posting":
                continue
            text, blocks = self._words(rule, event)
            await self._post(event, rule.channel, text, blocks, event.thread_ts)
            if event.kind == "recovered":
                note = recovered_note(self.messages, before, event, self.config.tz)
                await self._close_alert(before, note)

    def _words(self, rule: AlertRule, event: AlertEvent) -> tuple[str, Blocks | None]:
        """What an event says in the channel (built again from the database alone)."""
        msg, tz = self.messages, self.config.tz
        if event.kind == "fired":
            return alert_post(msg, rule, event, tz)
        if event.kind == "recovered":
            return recovered_text(msg, rule, event), None
        if event.kind == "down":
            return down_text(msg, rule, event.detail or ""), None
        return back_text(msg, rule), None

    async def _post(
        self,
        event: AlertEvent,
        channel: str,
        text: str,
        blocks: Blocks | None,
        thread: str | None = None,
        *,
        again: bool = False,
    ) -> str | None:
        # A held-back alert posted later is a new message: the first one's key may name a
        # row the outbox gave up on.
        key = None if again else f"alert:{event.id}"
        try:
            # Through the outbox (on Slack): a key makes it one message, however often asked.
            ts = await self.chat.post(channel, text, blocks, thread_ts=thread, key=key)
        except Exception as error:
            # Refused: nothing is in the channel, an alert is tried again at the next check.
            # No answer: it may be there; never posted again here (at most once; the outbox
            # still sends its row once, and a next leader asks for it by its key).
            post = "failed" if _refused(error) else "interrupted"
            log.warning(
                "alert event %d (%s) in %s not posted: %s", event.id, event.kind, channel, post
            )
            await self.store.posted(event.id, post, None, f"{type(error).__name__}: {error}"[:500])
            return None
        await self.store.posted(event.id, "posted", ts)
        return ts

    async def _post_held_back(self, rule: AlertRule) -> None:
        """Post an open alert a mute (now over) or a Slack refusal held back."""
        if rule.fired_event_id is None or rule.alert_post not in ("muted", "failed"):
            return
        if not await self.store.claim_post(rule.id, rule.fired_event_id):
            return
        fired = await self.store.event(rule.fired_event_id)
        if fired is None:
            return
        text, blocks = alert_post(self.messages, rule, fired, self.config.tz)
        await self._post(fired, rule.channel, text, blocks, again=True)

    async def _close_alert(self, before: AlertRule, note: str) -> None:
        """Show on the open alert's message that it is over (its buttons go)."""
        if before.alert_ts is None or before.fired_event_id is None:
            return
        fired = await self.store.event(before.fired_event_id)
        if fired is None:
            return
        text, blocks = alert_post(self.messages, before, fired, self.config.tz, closed=note)
        try:
            await self.chat.update(before.channel, before.alert_ts, text, blocks)
        except Exception:
            log.warning("could not close alert #%d on its message", before.id)

    # Buttons

    async def acknowledge(
        self, channel: str, rule_id: int, event_id: int, user: str, message_ts: str | None = None
    ) -> AlertRule:
        """Record who acknowledged the open alert, then show it on the alert."""
        rule = await self._open_alert(channel, rule_id, event_id)
        now = self._clock()
        acked = await self.store.acknowledge(rule_id, event_id, user, now, rule_text(rule))
        if acked is None:
            again = await self._open_alert(channel, rule_id, event_id)
            if again.acked_by and again.acked_at:
                raise UserInputError(
                    "alerts.ack.already",
                    user=again.acked_by,
                    when=self._moment(again.acked_at),
                )
            raise UserInputError("alerts.button.closed")
        await self._refresh(acked, event_id, message_ts)
        return acked

    async def mute(
        self, channel: str, rule_id: int, event_id: int, user: str, message_ts: str | None = None
    ) -> AlertRule:
        """Hold back the rule's alerts for an hour, then show it on the alert."""
        rule = await self._open_alert(channel, rule_id, event_id)
        until = self._clock() + MUTE
        muted = await self.store.mute(rule_id, event_id, user, until, rule_text(rule))
        if muted is None:
            raise UserInputError("alerts.button.closed")
        await self._refresh(muted, event_id, message_ts)
        return muted

    # Elsewhere (the App Home): an open alert is known by a key, "<rule id>:<alert id>"

    async def open_alerts(self, channels: Sequence[str], msg: Messages) -> list[OpenAlert]:
        """The open, unacknowledged alerts of ``channels``, latest first, told in ``msg``."""
        found = []
        for rule in await self.store.open_alerts(channels):
            assert rule.fired_event_id is not None
            fired = await self.store.event(rule.fired_event_id)
            if fired is not None:
                text, _ = alert_post(msg, rule, fired, self.config.tz)
                found.append(OpenAlert(rule.channel, text, f"{rule.id}:{fired.id}"))
        return found

    async def acknowledge_key(self, channel: str, key: str, user: str) -> AlertRule:
        """``acknowledge`` for the alert ``key`` of ``channel`` (a key of another channel's
        alert, or no key at all, is refused as closed)."""
        rule_id, _, event_id = key.partition(":")
        if not (is_number(rule_id) and is_number(event_id)) or max(len(rule_id), len(event_id)) > 9:
            raise UserInputError("alerts.button.closed")
        return await self.acknowledge(channel, int(rule_id), int(event_id), user)

    def _moment(self, moment: datetime) -> str:
        return formats.moment(self.messages, moment.astimezone(self.config.tz))

    async def _open_alert(self, channel: str, rule_id: int, event_id: int) -> AlertRule:
        """The rule whose alert ``event_id`` is open in ``channel`` (a button's value is
        only trusted for the channel the press came from)."""
        rule = await self.store.rule(rule_id)
        if rule is None or rule.channel != channel or rule.fired_event_id != event_id:
            raise UserInputError("alerts.button.closed")
        return rule

    async def _refresh(self, rule: AlertRule, event_id: int, pressed_on: str | None) -> None:
        """Show the alert's new state on its message (the one the button was pressed on
        when its ts was never recorded: a post interrupted before Slack's answer)."""
        fired = await self.store.event(event_id)
        ts = rule.alert_ts or pressed_on
        if fired is None or not ts:
            return
        async with self.languages.channel_scope(rule.channel) as msg:
            text, blocks = alert_post(msg, rule, fired, self.config.tz)
        await self.chat.update(rule.channel, ts, text, blocks)
