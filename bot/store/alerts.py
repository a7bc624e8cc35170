"""Alert rules, their state and their history: the queries the alert service needs.

Two guards keep an alert from being said twice. A check first claims its 5-minute slot
(``claim``: a conditional update, so two leaders, a restart or a late trigger never judge
the same slot twice), and settles what it found only if no later slot was claimed
meanwhile (``settle``); on PostgreSQL these writes also check the leader epoch
(``bot.store.fence``), so a deposed leader records nothing. What a check has to say is
committed with the new state, marked ``posting``, before anything is posted: a process
that dies before recording the answer leaves it ``posting``, and the next leader asks the
outbox again with the same key (``unfinished``): the outbox gives the message it sent, or
sends it once if it never went, so the post is neither repeated nor forgotten. A held-back
alert posted later (``reposting``, without a key) is ``interrupted`` instead and never
posted again (at most once; ``/calls alert`` says the alert may be missing). A post
Slack refused (it answered: nothing is in the channel) is ``failed``, and an alert so
refused is taken again at the next check (``claim_post``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from bot.store.db import Store, reads, writes
from bot.store.models import AlertEvent, AlertRule, utcnow

__all__ = ["AlertStore", "NewEvent", "Settled"]


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event a check or a button records; ``post`` is ``posting`` when it is to be said."""

    kind: str
    post: str = "none"
    value: float | None = None
    calls: int | None = None
    user_id: str | None = None
    detail: str | None = None
    thread_ts: str | None = None


@dataclass(frozen=True, slots=True)
class Settled:
    """The rule after a settled check and the events recorded, in order."""

    rule: AlertRule
    events: list[AlertEvent] = field(default_factory=list)


class AlertStore:
    """Rules (many per channel) and their events (``async``: see ``Store``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lanes = store.lanes

    # Rules

    @writes
    def add(self, rule: AlertRule, text: str) -> AlertRule:
        """Save a new rule and its ``created`` event."""
        with self.store.session() as session:
            session.add(rule)
            session.flush()
            session.add(_event(rule, NewEvent("created", user_id=rule.created_by), text))
            return rule

    @reads
    def rules(self, channel: str | None = None) -> Sequence[AlertRule]:
        """The rules of a channel (every rule: None), oldest first."""
        query = select(AlertRule).order_by(AlertRule.id)
        if channel is not None:
            query = query.where(AlertRule.channel == channel)
        with self.store.session() as session:
            return session.scalars(query).all()

    @reads
    def count(self, channel: str) -> int:
        """How many rules a channel has."""
        with self.store.session() as session:
            query = select(func.count()).where(AlertRule.channel == channel)
            return int(session.scalar(query.select_from(AlertRule)) or 0)

    @reads
    def open_alerts(self, channels: Sequence[str]) -> Sequence[AlertRule]:
        """The rules of ``channels`` whose alert is open and not acknowledged, latest first."""
        query = (
            select(AlertRule)
            .where(
                AlertRule.channel.in_(list(channels)),
                AlertRule.state == "firing",
                AlertRule.fired_event_id.is_not(None),
                AlertRule.acked_by.is_(None),
            )
            .order_by(AlertRule.since.desc(), AlertRule.id.desc())
        )
        with self.store.session() as session:
            return session.scalars(query).all()

    @reads
    def rule(self, rule_id: int) -> AlertRule | None:
        """One rule by id."""
        with self.store.session() as session:
            return session.get(AlertRule, rule_id)

    @writes
    def remove(self, rule_id: int, channel: str, user: str, text: str) -> AlertRule | None:
        """Delete the channel's rule ``rule_id`` (its events stay, plus ``removed``)."""
        with self.store.session() as session:
            rule = session.get(AlertRule, rule_id)
            if rule is None or rule.channel != channel:
                return None
            session.add(_event(rule, NewEvent("removed", user_id=user), text))
            session.delete(rule)
            return rule

    # Checks

    @writes
    def claim(self, rule_id: int, slot: int) -> AlertRule | None:
        """Take the check of ``slot`` for the rule; None when it was taken (or the rule gone)."""
        with self.store.session() as session:
            self.store.fence.check(session)  # a deposed leader checks nothing
            taken = session.execute(
                update(AlertRule)
                .where(
                    AlertRule.id == rule_id,
                    (AlertRule.checked_slot.is_(None)) | (AlertRule.checked_slot < slot),
                )
                .values(checked_slot=slot)
            )
            if _rowcount(taken) != 1:
                return None
            return session.get(AlertRule, rule_id)

    @writes
    def settle(
        self, rule_id: int, slot: int, changes: dict[str, Any], events: list[NewEvent], text: str
    ) -> Settled | None:
        """Record a check's outcome and its events in one transaction; None when a later
        check claimed the rule meanwhile (this one's findings are dropped, unsaid)."""
        with self.store.session() as session:
            self.store.fence.check(session)  # a deposed leader's findings are not recorded
            done = session.execute(
                update(AlertRule)
                .where(AlertRule.id == rule_id, AlertRule.checked_slot == slot)
                .values(**changes)
            )
            if _rowcount(done) != 1:
                return None
            rule = session.get(AlertRule, rule_id)
            assert rule is not None
            rows = [_event(rule, event, text) for event in events]
            session.add_all(rows)
            session.flush()
            for row in rows:
                if row.kind == "fired":
                    rule.fired_event_id = row.id
            session.flush()
            return Settled(rule, rows)

    @writes
    def posted(self, event_id: int, post: str, ts: str | None, detail: str | None = None) -> None:
        """Record how an event's post ended; an alert's own ts goes on its rule too."""
        with self.store.session() as session:
            self.store.fence.check(session)  # the new leader has closed it ("interrupted")
            event = session.get(AlertEvent, event_id)
            if event is None:
                return
            event.post, event.message_ts = post, ts
            if detail:
                event.detail = detail
            if event.kind == "fired":
                session.execute(
                    update(AlertRule)
                    .where(AlertRule.id == event.rule_id, AlertRule.fired_event_id == event_id)
                    .values(alert_post=post, alert_ts=ts)
                )

    @writes
    def claim_post(self, rule_id: int, event_id: int) -> bool:
        """Take an alert held back (muted, or refused by Slack) for posting now."""
        with self.store.session() as session:
            self.store.fence.check(session)  # a deposed leader posts nothing
            taken = session.execute(
                update(AlertRule)
                .where(
                    AlertRule.id == rule_id,
                    AlertRule.fired_event_id == event_id,
                    AlertRule.alert_post.in_(("muted", "failed")),
                )
                .values(alert_post="posting")
            )
            if _rowcount(taken) != 1:
                return False
            session.execute(
                update(AlertEvent).where(AlertEvent.id == event_id).values(post="reposting")
            )
            return True

    @writes
    def unfinished(self) -> Sequence[AlertEvent]:
        """Posts a stopped process left half done, oldest first, to be asked again of the
        outbox by their key (it gives the message once, sent or not yet). A held-back
        alert's post (``reposting``: it had no key) is ``interrupted``: never posted again."""
        with self.store.session() as session:
            self.store.fence.check(session)
            held = select(AlertEvent.id).where(AlertEvent.post == "reposting")
            session.execute(
                update(AlertRule)
                .where(AlertRule.alert_post == "posting", AlertRule.fired_event_id.in_(held))
                .values(alert_post="interrupted")
            )
            session.execute(
                update(AlertEvent).where(AlertEvent.post == "reposting").values(post="interrupted")
            )
            query = select(AlertEvent).where(AlertEvent.post == "posting").order_by(AlertEvent.id)
            return session.scalars(query).all()

    # Buttons

    @writes
    def acknowledge(
        self, rule_id: int, event_id: int, user: str, now: datetime, text: str
    ) -> AlertRule | None:
        """Record who acknowledged the rule's open alert; None when it is not open any more
        (recovered, removed) or was acknowledged already (the rule says by whom)."""
        with self.store.session() as session:
            done = session.execute(
                update(AlertRule)
                .where(
                    AlertRule.id == rule_id,
                    AlertRule.fired_event_id == event_id,
                    AlertRule.acked_by.is_(None),
                )
                .values(acked_by=user, acked_at=now)
            )
            if _rowcount(done) != 1:
                return None
            rule = session.get(AlertRule, rule_id)
            assert rule is not None
            session.add(_event(rule, NewEvent("acknowledged", user_id=user), text))
            return rule

    @writes
    def mute(
        self, rule_id: int, event_id: int, user: str, until: datetime, text: str
    ) -> AlertRule | None:
        """Hold back the rule's alerts until ``until``; None when its alert is not open."""
        with self.store.session() as session:
            done = session.execute(
                update(AlertRule)
                .where(AlertRule.id == rule_id, AlertRule.fired_event_id == event_id)
                .values(muted_until=until, muted_by=user)
            )
            if _rowcount(done) != 1:
                return None
            rule = session.get(AlertRule, rule_id)
            assert rule is not None
            session.add(_event(rule, NewEvent("muted", user_id=user), text))
            return rule

    # History

    @reads
    def events(self, channel: str, limit: int = 20) -> Sequence[AlertEvent]:
        """The channel's latest events, newest first."""
        query = (
            select(AlertEvent)
            .where(AlertEvent.channel == channel)
            .order_by(AlertEvent.id.desc())
            .limit(limit)
        )
        with self.store.session() as session:
            return session.scalars(query).all()

    @reads
    def event(self, event_id: int) -> AlertEvent | None:
        """One event by id."""
        with self.store.session() as session:
            return session.get(AlertEvent, event_id)


def _event(rule: AlertRule, event: NewEvent, text: str) -> AlertEvent:
    return AlertEvent(
        rule_id=rule.id,
        channel=rule.channel,
        kind=event.kind,
        at=utcnow(),
        value=event.value,
        calls=event.calls,
        user_id=event.user_id,
        rule_text=text,
        detail=event.detail,
        post=event.post,
        thread_ts=event.thread_ts,
    )


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
