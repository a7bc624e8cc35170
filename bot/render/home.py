"""App Home: today's calls per connection, the user's running imports, open alerts.

Slack shows at most 100 blocks on Home: past that, the view ends with a sentence saying
how many were left out and where to see them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.hygiene import Markup
from bot.messages import Messages, channel_link, mentions
from bot.render.blocks import (
    Block,
    button,
    context,
    divider,
    fields_section,
    header,
    progress_bar,
    section,
)
from bot.render.calls import change, change_pp
from bot.render.formats import number, percent
from bot.render.inputs import JobFacts
from bot.render.jobs import finished_rows, job_state_words
from bot.stats import CallStats, compare

HOME_BLOCKS = 100  # Slack's limit for a Home tab
HOME_ACK_ACTION = "home_alert_ack"  # an alert's Acknowledge on Home (``commands.home``)


class AlertFacts(Protocol):
    """An open alert (``bot.home.alerts.OpenAlert``)."""

    @property
    def channel(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def key(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ConnectionCalls:
    """Today's calls of one AICallCenter connection and yesterday's up to the same time;
    ``error`` (a sentence) when they could not be read."""

    connection: str
    today: CallStats | None = None
    yesterday: CallStats | None = None
    until: datetime | None = None  # when they were read (up to the cache's minute ago)
    error: str | None = None


@dataclass(frozen=True, slots=True)
class HomeFacts:
    """Everything one user's Home shows, already fetched."""

    now: datetime
    timezone: str
    admins: Sequence[str]
    operator: bool  # False: a stranger, shown no figures
    channels_known: bool  # False: Slack did not say which channels the user is in
    calls: Sequence[ConnectionCalls] = ()
    others: Sequence[str] = ()  # the user's connections without call records
    jobs: Sequence[tuple[JobFacts, Mapping[str, int]]] = ()
    alerts: Sequence[AlertFacts] = field(default_factory=tuple)
    notice: str | None = None  # what the user's last press on Home did


def home_view(msg: Messages, facts: HomeFacts) -> dict[str, Any]:
    """The Home tab view of one user."""
    clock = f"{facts.now:%H:%M}"
    body: list[Block] = [
        header(msg("home.title")),
        context(msg("home.updated", time=clock, timezone=facts.timezone)),
    ]
    if facts.notice:
        body.append(section(facts.notice))
    body.append(section(msg("home.calls.title")))
    body += _calls(msg, facts, clock)
    body += [divider(), section(msg("home.jobs.title"))]
    body += _jobs(msg, facts.jobs)
    body += [divider(), section(msg("home.alerts.title"))]
    body += _alerts(msg, facts)
    footer = [divider(), context(msg("help.footer"))]
    room = HOME_BLOCKS - len(footer)
    if len(body) > room:
        kept = room - 1
        omitted = len(body) - kept
        body = [*body[:kept], context(msg("home.truncated", count=number(msg, omitted)))]
    return {"type": "home", "blocks": body + footer}


def _calls(msg: Messages, facts: HomeFacts, clock: str) -> list[Block]:
    admins = mentions(list(facts.admins))
    if not facts.operator:
        return [context(msg("home.connections.stranger", admins=admins))]
    if not facts.channels_known:
        return [context(msg("home.channels.unknown"))]
    if not facts.calls and not facts.others:
        return [context(msg("home.connections.none", admins=admins))]
    blocks: list[Block] = []
    for item in facts.calls:
        if item.error is not None or item.today is None or item.yesterday is None:
            blocks.append(
                context(
                    msg("home.calls.failed", connection=item.connection, reason=item.error or "")
                )
            )
            continue
        until = f"{item.until:%H:%M}" if item.until is not None else clock
        blocks.append(section(msg("home.calls.connection", connection=item.connection, time=until)))
        blocks.append(fields_section(_figures(msg, item.today, item.yesterday)))
    if not facts.calls:
        blocks.append(context(msg("home.calls.none")))
    if facts.others:
        # Each name made safe by the catalog; the list of them is then markup as it stands.
        names = Markup(", ".join(msg("home.calls.other", connection=n) for n in facts.others))
        blocks.append(context(msg("home.calls.others", connections=names)))
    return blocks


def _figures(msg: Messages, today: CallStats, yesterday: CallStats) -> list[str]:
    delta = compare(today, yesterday)
    return [
        msg(
            "home.calls.calls", count=number(msg, today.total), change=change(msg, delta.total_pct)
        ),
        msg(
            "home.calls.rate",
            rate=percent(msg, today.answer_rate),
            change=change_pp(msg, delta.answer_rate_pp),
        ),
    ]


def _jobs(msg: Messages, jobs: Sequence[tuple[JobFacts, Mapping[str, int]]]) -> list[Block]:
    if not jobs:
        return [context(msg("home.jobs.none"))]
    blocks: list[Block] = []
    for job, counts in jobs:
        total = job.total or sum(counts.values())
        done = finished_rows(counts)
        line = msg(
            "home.jobs.line",
            ref=job.ref,
            state=job_state_words(msg, job, counts),
            connection=job.connection,
            campaign=job.campaign,
            done=number(msg, done),
            total=number(msg, total),
            bar=progress_bar(done, total),
        )
        blocks.append(section(line))
    return blocks


def _alerts(msg: Messages, facts: HomeFacts) -> list[Block]:
    if not facts.operator or not facts.channels_known:
        return []  # the calls section said why nothing of the user's channels is shown
    if not facts.alerts:
        return [context(msg("home.alerts.none"))]
    return [
        section(
            msg("home.alerts.line", channel=channel_link(alert.channel), text=alert.text),
            accessory=button(
                msg("home.alerts.acknowledge"),
                HOME_ACK_ACTION,
                {"channel": alert.channel, "id": alert.key},
                style="primary",
            ),
        )
        for alert in facts.alerts
    ]
