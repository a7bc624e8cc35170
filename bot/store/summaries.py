"""Daily summary subscriptions and their runs: the queries the summary service needs.

The ``summary_runs`` row is the guard against posting twice: it is inserted *before* the
post, and its unique (subscription, run date) lets exactly one inserter win, whether the
other is a second trigger, a restarted bot or another process on the same database. A run
whose claimer died before posting (still ``posting``) is taken over (``take_over``) by the
next leader, so the summary is not lost either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.db import Store, reads, writes
from bot.store.models import Subscription, SummaryRun, utcnow

# A run's state from its claim until the summary is built and about to be posted.
CLAIMED = "posting"


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

    @reads
    def claimed_at(self, run_id: int) -> datetime | None:
        """When the run was claimed (its claim's token), or None when it is gone."""
        with self.store.session() as session:
            run = session.get(SummaryRun, run_id)
            return run.posted_at if run is not None and run.state == CLAIMED else None

    @writes
    def take_over(
        self,
        subscription_id: int,
        run_date: str,
        *,
        claimed_before: datetime,
        skip: frozenset[int] = frozenset(),
    ) -> tuple[int, datetime] | None:
        """The run of that day if it was claimed before ``claimed_before`` and never got past
        the claim (its claimer died building it: nothing was posted), claimed again: its id
        and new claim time. None when there is no such run, or it is one of ``skip``.

        Claimed again by moving the claim's time (``posted_at``) on, under the value read:
        of two that try at once one wins, and the old claimer can no longer post
        (``begin_post``).
        """
        with self.store.session() as session:
            self.store.fence.check(session)  # a deposed leader takes no run over
            query = select(SummaryRun).where(
                SummaryRun.subscription_id == subscription_id, SummaryRun.run_date == run_date
            )
            run = session.scalars(query).first()
            if run is None or run.state != CLAIMED or run.id in skip:
                return None
            if run.posted_at >= claimed_before:
                return None
            now = utcnow()
            taken = session.execute(
                update(SummaryRun)
                .where(
                    SummaryRun.id == run.id,
                    SummaryRun.state == CLAIMED,
                    SummaryRun.posted_at == run.posted_at,
                )
                .values(posted_at=now)
            )
            return (run.id, now) if _rowcount(taken) == 1 else None

    @writes
    def begin_post(
        self, run_id: int, claimed_at: datetime, state: str, detail: str | None = None
    ) -> bool:
        """Record how the run ended, just before its post, if the claim is still ours; False
        when another leader took the run over meanwhile (it posts, not us)."""
        with self.store.session() as session:
            self.store.fence.check(session)  # a deposed leader posts no run
            done = session.execute(
                update(SummaryRun)
                .where(
                    SummaryRun.id == run_id,
                    SummaryRun.state == CLAIMED,
                    SummaryRun.posted_at == claimed_at,
                )
                .values(state=state, detail=detail, message_ts=None, posted_at=utcnow())
            )
            return _rowcount(done) == 1

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


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
