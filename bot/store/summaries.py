"""Daily summary subscriptions and their runs: the queries the summary service needs.

The ``summary_runs`` row is the guard against posting twice: it is inserted *before* the
post, and its unique (subscription, run date) lets exactly one inserter win, whether the
other is a second trigger, a restarted bot or another process on the same database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.store.db import Store, reads, writes
from bot.store.models import Subscription, SummaryRun, utcnow


@dataclass(frozen=True, slots=True)
class Schedule:
    """What a channel subscribes to: local ``HH:MM``, which day, campaign, connection."""

    channel: str
    connection: str
    at: str
    day: str = "yesterday"
    campaign: str | None = None


class SummaryStore:
    """Subscriptions (one per channel) and the runs posted for them (``async``: see ``Store``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lanes = store.lanes

    @reads
    def subscriptions(self) -> Sequence[Subscription]:
        """Every subscription, oldest first."""
        with self.store.session() as session:
            return session.scalars(select(Subscription).order_by(Subscription.id)).all()

    @reads
    def subscription(self, subscription_id: int) -> Subscription | None:
        """One subscription by id."""
        with self.store.session() as session:
            return session.get(Subscription, subscription_id)

    @reads
    def for_channel(self, channel: str) -> Subscription | None:
        """The channel's subscription, if any."""
        with self.store.session() as session:
            query = select(Subscription).where(Subscription.channel == channel)
            return session.scalars(query).first()

    @writes
    def subscribe(
        self, schedule: Schedule, created_by: str, *, now: datetime | None = None
    ) -> tuple[Subscription, bool]:
        """Create or replace the channel's subscription; True when it is new.

        A replaced subscription keeps its id, so a run already posted today still counts
        and changing the time cannot post the same day twice.
        """
        now = now or utcnow()
        with self.store.session() as session:
            query = select(Subscription).where(Subscription.channel == schedule.channel)
            row = session.scalars(query).first()
            created = row is None
            if row is None:
                row = Subscription(channel=schedule.channel, created_by=created_by, created_at=now)
                session.add(row)
            row.connection = schedule.connection
            row.at = schedule.at
            row.day = schedule.day
            row.campaign = schedule.campaign
            row.changed_at = now
            session.flush()
            return row, created

    @writes
    def unsubscribe(self, channel: str) -> Subscription | None:
        """Delete the channel's subscription (and its runs); returns what was deleted."""
        with self.store.session() as session:
            query = select(Subscription).where(Subscription.channel == channel)
            row = session.scalars(query).first()
            if row is None:
                return None
            session.execute(delete(SummaryRun).where(SummaryRun.subscription_id == row.id))
            session.delete(row)
            return row

    @writes
    def claim(self, subscription_id: int, run_date: str) -> int | None:
        """Insert the run row before posting; None when another claim got there first."""
        try:
            with self.store.session() as session:
                self.store.fence.check(session)  # a deposed leader claims no run
                run = SummaryRun(subscription_id=subscription_id, run_date=run_date)
                session.add(run)
                session.flush()
                return run.id
        except IntegrityError:
            return None

    @writes
    def finish(
        self, run_id: int, state: str, message_ts: str | None = None, detail: str | None = None
    ) -> None:
        """Record how a claimed run ended."""
        with self.store.session() as session:
            self.store.fence.check(session)
            run = session.get(SummaryRun, run_id)
            if run is not None:
                run.state = state
                run.message_ts = message_ts
                run.detail = detail
                run.posted_at = utcnow()

    @reads
    def last_run(self, subscription_id: int) -> SummaryRun | None:
        """The latest run of a subscription."""
        with self.store.session() as session:
            query = (
                select(SummaryRun)
                .where(SummaryRun.subscription_id == subscription_id)
                .order_by(SummaryRun.run_date.desc(), SummaryRun.id.desc())
            )
            return session.scalars(query).first()

    @reads
    def runs(self, subscription_id: int) -> Sequence[SummaryRun]:
        """Every run of a subscription, oldest first."""
        with self.store.session() as session:
            query = (
                select(SummaryRun)
                .where(SummaryRun.subscription_id == subscription_id)
                .order_by(SummaryRun.id)
            )
            return session.scalars(query).all()
