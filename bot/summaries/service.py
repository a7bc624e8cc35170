"""Daily summaries: subscriptions in the database, one cron trigger each, posted at most once.

Which runs are due is decided by ``run_due(now)`` alone; APScheduler only calls it (at the
subscription's local HH:MM), and so does ``start()`` for a run missed while the bot was
down. A run is claimed by inserting its ``summary_runs`` row before anything is posted:
a second trigger, a restarted bot or a second process on the same database loses the
insert and posts nothing. A claim left ``posting`` by a bot that died building the summary
is taken over by the next leader's catch-up (or trigger), so the run is not lost; a bot
killed between recording the run's outcome and Slack's answer is not posted again (at
most once: Slack cannot be asked whether the post arrived). A post is in its channel's
language (``bot.languages``). Tests drive the clock by passing ``now``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from bot.access import CALLS_OPERATION, CALLS_PROVIDERS
from bot.background import Background
from bot.calls import CallsReport, fetch_call_stats
from bot.calls.service import campaign_progress
from bot.chat import Chat
from bot.config import Config
from bot.errors import CallopsError, UnsupportedOperation
from bot.languages import Languages
from bot.messages import Messages
from bot.providers.aicallcenter import AICallCenterClient
from bot.providers.alohub import AlohubClient
from bot.providers.registry import Clients
from bot.render import formats
from bot.render.calls import calls_blocks, calls_text, progress_blocks, progress_text
from bot.render.errors import describe_any
from bot.schedule import Scheduler
from bot.stats import parse_period
from bot.store import Store
from bot.store.fence import Deposed
from bot.store.models import Subscription, utcnow
from bot.store.summaries import Schedule, SummaryStore
from bot.summaries.render import SummaryPost, failure_post
from bot.summaries.timing import next_time, scheduled_at, split_at

log = logging.getLogger(__name__)

__all__ = ["EARLY", "RunResult", "SummaryService", "job_id"]

# A trigger firing a little before HH:MM (the system clock was adjusted under it) still
# counts as that day's run.
EARLY = timedelta(minutes=1)


# The leader re-reads the subscriptions this often: any replica may change them.
REFRESH_ID = "summaries-refresh"
REFRESH_SECONDS = 10.0


def job_id(subscription_id: int) -> str:
    """The scheduler id of a subscription's trigger."""
    return f"summary:{subscription_id}"


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one run did; ``state`` is the run row's (``SummaryRun.state``)."""

    subscription_id: int
    run_date: str
    state: str
    message_ts: str | None = None


class _ConnectionGone(CallopsError):
    """The subscription names a connection callops.yml no longer has."""

    def __init__(self, connection: str) -> None:
        super().__init__(connection)
        self.connection = connection


class SummaryService:
    """Keeps one trigger per subscription on the scheduler and posts the runs that are due."""

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
        background: Background,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.config = config
        self.store = SummaryStore(store)
        self.clients = clients
        self.messages = messages  # scoped: in ``_run``, speaks the subscribed channel's language
        self.languages = languages
        self.chat = chat
        self.scheduler = scheduler
        self.background = background
        self._clock = clock or (lambda: datetime.now(config.tz))
        self._scheduled: dict[int, str] = {}  # subscription id → the HH:MM of its trigger
        self._changes = 0  # subscribe/unsubscribe calls so far (``refresh`` checks it)
        self._running: set[int] = set()  # ids of the runs being built and posted here
        self._leading_since = utcnow()  # claims older than this are no live leader's

    @property
    def tz(self) -> str:
        """The configured timezone's name."""
        return self.config.timezone

    # Lifecycle

    async def start(self) -> None:
        """Rebuild the triggers from the database (then keep them in step with it: another
        replica may subscribe); post today's missed runs in the background."""
        self._leading_since = utcnow()
        await self.refresh()
        self.scheduler.every(REFRESH_ID, REFRESH_SECONDS, self.refresh)
        # In the background: the bot must serve Slack while a slow provider is read.
        self.background.spawn(self._catch_up(), name="summaries: missed runs")

    async def refresh(self) -> None:
        """Make the triggers those of the subscriptions in the database."""
        changes = self._changes
        subscriptions = await self.store.subscriptions()
        if changes != self._changes:
            return  # a command of ours changed one meanwhile: what was read may be stale
        for subscription in subscriptions:
            if self._scheduled.get(subscription.id) != subscription.at:
                self.schedule(subscription)
        ids = {subscription.id for subscription in subscriptions}
        for subscription_id in [i for i in self._scheduled if i not in ids]:
            self.unschedule(subscription_id)

    async def stop(self) -> None:
        """Remove this service's triggers."""
        self.scheduler.remove(REFRESH_ID)
        for subscription_id in list(self._scheduled):
            self.unschedule(subscription_id)

    async def _catch_up(self) -> None:
        await self._fenced(lambda: self.run_due(self._clock()))

    # Subscriptions

    async def subscribe(self, schedule: Schedule, user: str) -> tuple[Subscription, bool]:
        """Save the channel's subscription and (re)build its trigger; True when new."""
        subscription, created = await self.store.subscribe(schedule, user, now=self._clock())
        self._changes += 1
        self.schedule(subscription)
        return subscription, created

    async def unsubscribe(self, channel: str) -> Subscription | None:
        """Delete the channel's subscription and its trigger."""
        subscription = await self.store.unsubscribe(channel)
        self._changes += 1
        if subscription is not None:
            self.unschedule(subscription.id)
        return subscription

    def schedule(self, subscription: Subscription) -> None:
        """Put the subscription's daily trigger on the scheduler."""
        hour, minute = split_at(subscription.at)
        fire = partial(self._fire, subscription.id)
        self.scheduler.daily_at(job_id(subscription.id), hour, minute, fire)
        self._scheduled[subscription.id] = subscription.at

    def unschedule(self, subscription_id: int) -> None:
        """Take the subscription's trigger off the scheduler."""
        self.scheduler.remove(job_id(subscription_id))
        self._scheduled.pop(subscription_id, None)

    def next_post(self, subscription: Subscription) -> datetime:
        """When the subscription posts next (local time)."""
        tz = self.config.tz
        return next_time(subscription.at, self._clock(), tz)

    async def _fire(self, subscription_id: int) -> None:
        await self._fenced(lambda: self.run_due(self._clock(), only=subscription_id))

    async def _fenced(self, work: Callable[[], Awaitable[object]]) -> None:
        """Run scheduled ``work``; another replica leading now refuses its writes: log it."""
        try:
            await work()
        except Deposed:
            log.warning("another replica leads now: it posts the summaries due")

    # Runs

    async def run_due(self, now: datetime, *, only: int | None = None) -> list[RunResult]:
        """Post every run due by ``now`` today and not claimed yet; what was done."""
        tz = self.config.tz
        local = now.astimezone(tz)
        today = local.date()
        results = []
        if only is None:
            subscriptions = list(await self.store.subscriptions())
        else:
            subscriptions = [s for s in [await self.store.subscription(only)] if s is not None]
        for subscription in subscriptions:
            due = scheduled_at(subscription.at, today, tz)
            if local < due - EARLY:
                continue  # later today
            if subscription.changed_at > due:
                continue  # set up after today's time: nothing was missed
            claim = await self._claim(subscription.id, today.isoformat())
            if claim is None:
                continue  # posted (or being posted) by someone else
            self._running.add(claim[0])
            try:
                results.append(await self._run(subscription, claim, local, today))
            finally:
                self._running.discard(claim[0])
        return results

    async def _claim(self, subscription_id: int, run_date: str) -> tuple[int, datetime] | None:
        """The run to post, claimed: a new one, or one whose claimer died before posting (a
        bot killed while building it). Only the leader builds summaries, so a claim made
        before this replica led (``start``) and not in flight here is nobody's any more; a
        leader cut off yet still building finds its claim taken and does not post. Its id
        and claim time."""
        run_id = await self.store.claim(subscription_id, run_date)
        if run_id is None:
            return await self.store.take_over(
                subscription_id,
                run_date,
                claimed_before=self._leading_since,
                skip=frozenset(self._running),
            )
        claimed_at = await self.store.claimed_at(run_id)
        return None if claimed_at is None else (run_id, claimed_at)

    async def _run(
        self,
        subscription: Subscription,
        claim: tuple[int, datetime],
        now: datetime,
        today: date,
    ) -> RunResult:
        """Build and post one run, in the channel's language (everyone there reads it)."""
        async with self.languages.channel_scope(subscription.channel):
            return await self._post_run(subscription, claim, now, today)

    async def _post_run(
        self,
        subscription: Subscription,
        claim: tuple[int, datetime],
        now: datetime,
        today: date,
    ) -> RunResult:
        chat = self.chat
        run_id, claimed_at = claim
        run_date = today.isoformat()
        try:
            post = await self.build(subscription, now)
            state, detail = "posted", None
        except Exception as error:  # the post says what went wrong; it is never skipped
            post = self._failure(subscription, now, error)
            state = "provider_error" if isinstance(error, CallopsError) else "error"
            detail = _brief(error)
        # State before words: the post sends readers to `/calls summary`, which must show
        # how this run ended as soon as the post is visible (before Slack's answer is back).
        # A leader that took the run over meanwhile (ours was cut off) posts it, not us.
        if not await self.store.begin_post(run_id, claimed_at, state, detail):
            log.warning("the summary of %s was taken over; not posting it", subscription.channel)
            return RunResult(subscription.id, run_date, "taken_over")
        try:
            ts = await chat.post(
                subscription.channel, post.text, post.blocks, key=f"summary:{run_id}"
            )
        except Exception as error:
            log.exception("could not post the summary of %s", subscription.channel)
            await self.store.finish(run_id, "failed", detail=_brief(error))
            return RunResult(subscription.id, run_date, "failed")
        if post.chart is not None:
            try:
                await chat.upload(
                    subscription.channel, post.chart_name, post.chart, title=post.chart_title
                )
            except Exception as error:
                log.exception("could not upload the summary chart of %s", subscription.channel)
                detail = f"chart not uploaded: {_brief(error)}"
        await self.store.finish(run_id, state, ts, detail)
        return RunResult(subscription.id, run_date, state, ts)

    async def build(self, subscription: Subscription, now: datetime) -> SummaryPost:
        """The summary of a subscription at ``now``: numbers, and a chart for call records."""
        msg = self.messages
        name = subscription.connection
        if name not in self.config.connections:
            raise _ConnectionGone(name)
        client = self.clients[name]
        campaign = subscription.campaign
        if isinstance(client, AlohubClient) and campaign:
            report = await campaign_progress(client, campaign)
            title = msg("calls.progress_view.title", campaign=campaign)
            blocks = progress_blocks(msg, title=title, connection=name, progress=report.progress)
            return SummaryPost(progress_text(msg, campaign, report.progress), blocks)
        if not isinstance(client, AICallCenterClient):
            raise UnsupportedOperation(CALLS_OPERATION, name, client.provider, CALLS_PROVIDERS)
        period = parse_period(subscription.day, now=now, timezone=self.config.tz)
        stats = await fetch_call_stats(client, period, campaign=campaign)
        label = formats.days_label(msg, period.start, period.days)
        title = (
            msg("summary.title.campaign", label=label, campaign=campaign)
            if campaign
            else msg("summary.title", label=label)
        )
        blocks = calls_blocks(
            msg,
            title=title,
            connection=name,
            current=stats.current,
            before=stats.before,
            previous_label=formats.days_label(msg, stats.previous.start, stats.previous.days),
            days=period.days,
            timezone=self.tz,
        )
        chart_title = msg("summary.chart.file_title", label=label)
        chart = await asyncio.to_thread(_chart, stats, chart_title, msg, self.tz)
        return SummaryPost(
            text=msg("summary.text", label=label) + " — " + calls_text(msg, label, stats.current),
            blocks=blocks,
            chart=chart,
            chart_name=f"calls-{period.label}.png",
            chart_title=chart_title,
        )

    def _failure(self, subscription: Subscription, now: datetime, error: Exception) -> SummaryPost:
        msg = self.messages
        if isinstance(error, _ConnectionGone):
            reason = msg("summary.connection_gone", connection=error.connection)
        else:
            reason = describe_any(error, msg)
        label = formats.day(msg, _day(subscription, now))
        when = formats.moment(msg, self.next_post(subscription))
        return failure_post(msg, label, reason, when)


def _day(subscription: Subscription, now: datetime) -> date:
    return now.date() - timedelta(days=1) if subscription.day == "yesterday" else now.date()


def _chart(report: CallsReport, title: str, msg: Messages, timezone: str) -> bytes:
    # Imported here: matplotlib costs most of a second, paid only when a chart is drawn.
    from bot.stats.chart import ChartLabels, calls_per_hour_png

    labels = ChartLabels(
        hour=msg("summary.chart.hour", timezone=timezone),
        calls=msg("summary.chart.calls"),
        answered=msg("summary.chart.answered"),
        failed=msg("summary.chart.failed"),
        other=msg("summary.chart.other"),
        previous=msg(
            "summary.chart.previous",
            label=formats.days_label(msg, report.previous.start, report.previous.days),
        ),
        empty=msg("summary.chart.empty"),
        count=partial(formats.number, msg.language),
    )
    return calls_per_hour_png(report.current, report.before, title=title, labels=labels)


def _brief(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]
