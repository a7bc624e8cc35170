"""The database tables: audit, jobs and their rows, staged uploads, summary subscriptions.

Portable SQL only (SQLite by default, PostgreSQL by URL): no SQLite-only types or pragmas
in the schema; JSON columns use SQLAlchemy's generic ``JSON``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Now, timezone-aware UTC (stored as such on every backend)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base of every callops table; constraints get names migrations can use."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, datetime: UTCDateTime}


class AuditEntry(Base):
    """One command or action: who, where, what (secrets masked), outcome, duration."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    command: Mapped[str] = mapped_column(Text)
    connection: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class Job(Base):
    """A job (``J<id>``): an import, one model for every provider, or the undo of one
    (``kind="undo"``, ``undo_of`` the import; its rows are the contacts it deletes)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connection: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(32))
    campaign: Mapped[str] = mapped_column(Text)  # any text at Vbee and AICallCenter
    list_name: Mapped[str | None] = mapped_column(String(255))
    creator: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32), index=True)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    total: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    # The first batch number of the latest ``/job retry`` (None: the first attempt), so the
    # rows rejected by that attempt can be told from those rejected before.
    retry_from: Mapped[int | None] = mapped_column(Integer)
    # Set with a final state, in the same transaction; cleared once the totals are posted.
    # A bot killed in between posts them at its next start (``JobEngine.start``).
    final_owed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # "import", or "undo": deletes the still-pending contacts of job ``undo_of`` (Alohub).
    kind: Mapped[str] = mapped_column(String(16), default="import", server_default="import")
    undo_of: Mapped[int | None] = mapped_column(Integer, index=True)

    @property
    def ref(self) -> str:
        """The id users type: ``J<n>``."""
        return f"J{self.id}"


class JobRow(Base):
    """One contact of a job and what became of it."""

    __tablename__ = "job_rows"
    __table_args__ = (
        Index("ix_job_rows_job_state", "job_id", "state"),
        Index("ix_job_rows_job_batch", "job_id", "batch"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    phone: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(255))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # pending → sent → accepted | rejected | duplicate; sent rows of a crashed batch at a
    # provider that does not deduplicate become unconfirmed. ``reason`` is a catalog key
    # (``phone.too_short``, ``import.reason.invalid_otp``…), rendered in words when shown.
    state: Mapped[str] = mapped_column(String(16), default="pending")
    batch: Mapped[int | None] = mapped_column(Integer)
    provider_id: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)


class ProviderBatch(Base):
    """One request (or provider job) carrying rows of a job; marked in flight before sending."""

    __tablename__ = "job_batches"
    __table_args__ = (UniqueConstraint("job_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    # in_flight (committed before the request) → submitted (alohub: provider job polled)
    # → done | failed | lost. After a crash an in_flight batch becomes ``requeued`` (its
    # rows pending again: alohub dedupes) or ``unconfirmed`` (its rows too: the others do not).
    state: Mapped[str] = mapped_column(String(16), default="in_flight")
    provider_job: Mapped[str | None] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class StagedUpload(Base):
    """A parsed upload waiting for the operator's confirmation; expires."""

    __tablename__ = "staged_uploads"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    connection: Mapped[str] = mapped_column(String(64))
    campaign: Mapped[str] = mapped_column(Text)  # any text at Vbee and AICallCenter
    list_name: Mapped[str | None] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(255))
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class Subscription(Base):
    """A channel's daily summary: when, which day, which campaign, which connection."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    connection: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(5))  # HH:MM local time
    day: Mapped[str] = mapped_column(String(16), default="yesterday")
    campaign: Mapped[str | None] = mapped_column(Text)  # any text at AICallCenter
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the schedule last changed: a run due before it was never "missed".
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SummaryRun(Base):
    """A summary posted (or being posted) for one subscription and one local date: never twice."""

    __tablename__ = "summary_runs"
    __table_args__ = (UniqueConstraint("subscription_id", "run_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    run_date: Mapped[str] = mapped_column(String(10))  # local YYYY-MM-DD of the scheduled run
    # posting (claimed, before the post) → posted | provider_error | error | failed (Slack)
    state: Mapped[str] = mapped_column(String(16), default="posting")
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)


class CampaignFinish(Base):
    """An Alohub campaign seen finished by a channel's subscription: posted once, never twice.

    The row is inserted (``posting``) before the post; its unique (channel, connection,
    campaign) lets exactly one claim win, across restarts and a change of leader.
    """

    __tablename__ = "campaign_finishes"
    __table_args__ = (UniqueConstraint("channel", "connection", "campaign"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    connection: Mapped[str] = mapped_column(String(64))
    campaign: Mapped[str] = mapped_column(String(255))
    # posting (claimed, before the post) → posted | failed (Slack refused the post)
    state: Mapped[str] = mapped_column(String(16), default="posting")
    processed: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)


class ConnectionCheck(Base):
    """The last credential check of a connection (shown by ``/callops connections``)."""

    __tablename__ = "connection_checks"

    connection: Mapped[str] = mapped_column(String(64), primary_key=True)
    ok: Mapped[bool] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


class PendingCommand(Base):
    """A slash command or button press acked but not yet answered (issue 17).

    Written before the ack, marked ``done_at`` once its answer is posted. A replica that
    dies leaves its rows undone; another replica (or the next start) claims them and runs
    them again while ``response_url`` still answers (Slack keeps it 30 minutes).
    """

    __tablename__ = "pending_commands"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))  # "command" or "action"
    team_id: Mapped[str] = mapped_column(String(32), default="")
    channel_id: Mapped[str] = mapped_column(String(32), default="")
    user_id: Mapped[str] = mapped_column(String(32), default="")
    command: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[dict[str, Any]] = mapped_column()  # what Slack sent, to run it again
    response_url: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()
    # The request's own identity (``bot.slack.retries.request_key``): Slack's retry of it,
    # on any replica, meets this row and is dropped (one statement records or refuses).
    request_key: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (
        Index("ix_pending_commands_open", "done_at", "claimed_at"),
        Index("ux_pending_commands_request_key", "request_key", unique=True),
    )


class SlackRequestSeen(Base):
    """A Slack request already taken (``bot.slack.retries``): Slack's retries of it are dropped.

    Kept for an hour (Slack retries within minutes), then pruned; shared by every replica.
    """

    __tablename__ = "slack_requests_seen"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AlertRule(Base):
    """A channel's threshold rule on AICallCenter call records, and where its check stands.

    ``state`` is ok → pending (one bad check) → firing (two in a row; the alert is owed)
    → ok (recovered past the margin). The current firing's alert is ``fired_event_id``;
    ``alert_post`` says whether its message is in the channel: posting (committed before
    the post) → posted | muted (held back while muted: posted after) | failed (Slack
    refused it: posted at the next check) | interrupted (no answer to a held-back
    alert's post: it may be in the channel, and is never posted again). A stop before
    the answer was recorded leaves ``posting``: the next leader asks the outbox again by
    the post's key (``AlertService._resume``), so it is in the channel once.
    """

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    connection: Mapped[str] = mapped_column(String(64))
    metric: Mapped[str] = mapped_column(String(32))  # answer_rate | failed
    op: Mapped[str] = mapped_column(String(1))  # < | >
    threshold: Mapped[float] = mapped_column(Float)  # percent for a rate, a count otherwise
    window_minutes: Mapped[int] = mapped_column(Integer)
    min_calls: Mapped[int] = mapped_column(Integer)
    campaign: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="ok")
    # The 5-minute slot of the last check (epoch seconds // 300): one check per slot.
    checked_slot: Mapped[int | None] = mapped_column(BigInteger)
    checked_at: Mapped[datetime | None] = mapped_column()
    last_value: Mapped[float | None] = mapped_column(Float)
    last_calls: Mapped[int | None] = mapped_column(Integer)
    since: Mapped[datetime | None] = mapped_column()  # when the current state began
    fired_event_id: Mapped[int | None] = mapped_column(Integer)
    alert_ts: Mapped[str | None] = mapped_column(String(32))
    alert_post: Mapped[str | None] = mapped_column(String(16))
    acked_by: Mapped[str | None] = mapped_column(String(32))
    acked_at: Mapped[datetime | None] = mapped_column()
    muted_until: Mapped[datetime | None] = mapped_column()
    muted_by: Mapped[str | None] = mapped_column(String(32))
    # The provider could not be read: said once, with when and why, until a check works.
    down_since: Mapped[datetime | None] = mapped_column()
    down_reason: Mapped[str | None] = mapped_column(Text)


class AlertEvent(Base):
    """What happened to a rule: created, fired, acknowledged, muted, recovered, provider
    down or back, removed. Kept after the rule is removed (``/calls alert history``)."""

    __tablename__ = "alert_events"
    __table_args__ = (Index("ix_alert_events_channel_id", "channel", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    value: Mapped[float | None] = mapped_column(Float)
    calls: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[str | None] = mapped_column(String(32))
    # The rule as it read then ("answer_rate<40% window=60m …"), so history outlives it.
    rule_text: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str | None] = mapped_column(Text)
    # none (nothing to post) | posting | reposting (a held-back alert, without a key) |
    # posted | muted | failed | interrupted
    post: Mapped[str] = mapped_column(String(16), default="none")
    message_ts: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))  # "recovered": the alert's


class LanguageChoice(Base):
    """A language someone chose (``/callops language``): a user's own, or a channel's.

    ``scope`` is "user" (``subject`` a user id) or "channel" (a channel id). No row: the
    user's Slack locale, or the workspace default (``bot.languages``).
    """

    __tablename__ = "language_choices"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    chosen_by: Mapped[str] = mapped_column(String(32))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)


class LeaderEpoch(Base):
    """The leader's fencing token (``bot.store.fence``): one row, incremented at each election.

    Scheduled work's writes check it in their transaction, so a deposed leader's are refused.
    """

    __tablename__ = "leader_epochs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epoch: Mapped[int] = mapped_column(BigInteger)
    holder: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(Base):
    """A message on its way to a channel (``bot.outbox``): posted or updated once, in order.

    ``post`` rows get the message's ``ts`` when Slack answers; ``update`` rows carry the
    ``ts`` they replace, and a newer update of the same message replaces a pending one.
    ``key`` names a post that must exist once (a job's card): posting it again joins it.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_state_channel", "state", "channel"),
        UniqueConstraint("key"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))  # "post" or "update"
    ts: Mapped[str | None] = mapped_column(String(32))  # an update's target; a post's once sent
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    key: Mapped[str | None] = mapped_column(String(128))  # cleared when the row fails
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # pending → sending (claimed, committed before the call) → sent | failed
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column()  # Retry-After or backoff
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
