"""Daily summary messages: the post, the "could not fetch" post, the subscription card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.messages import Messages
from bot.render import formats
from bot.render.blocks import Block, context, header, section
from bot.store.models import Subscription, SummaryRun

__all__ = [
    "SummaryPost",
    "failure_post",
    "schedule_words",
    "subscription_blocks",
]


@dataclass(frozen=True)
class SummaryPost:
    """What one run posts: a message and, for call statistics, the chart PNG."""

    text: str
    blocks: list[Block]
    chart: bytes | None = None
    chart_name: str = ""
    chart_title: str = ""


def schedule_words(
    msg: Messages, subscription: Subscription, provider: str | None
) -> dict[str, str]:
    """The words describing what a subscription posts, for the catalog's sentences."""
    day = "progress" if provider == "alohub" else subscription.day
    campaign = subscription.campaign
    return {
        "day": msg(f"summary.day.{day}"),
        "campaign": msg("summary.campaign", campaign=campaign) if campaign else "",
    }


def failure_post(msg: Messages, label: str, reason: str, next_when: str) -> SummaryPost:
    """The post of a run whose numbers could not be fetched: why, and when the next is due."""
    return SummaryPost(
        text=msg("summary.failed.text", label=label) + " " + reason,
        blocks=[
            header(msg("summary.failed.title", label=label)),
            section(reason),
            context(msg("summary.failed.next", when=next_when)),
        ],
    )


def subscription_blocks(
    msg: Messages,
    subscription: Subscription,
    *,
    provider: str | None,
    timezone: str,
    next_when: datetime,
    last: SummaryRun | None,
) -> list[Block]:
    """The channel's subscription: when, what, from where; the next and the last post."""
    body = msg(
        "summary.show.body",
        at=subscription.at,
        timezone=timezone,
        connection=subscription.connection,
        user=subscription.created_by,
        **schedule_words(msg, subscription, provider),
    )
    lines = [msg("summary.show.next", when=formats.moment(msg, next_when))]
    if last is None:
        lines.append(msg("summary.show.never"))
    else:
        key = f"summary.state.{last.state}"
        state = msg(key) if msg.has(key) else last.state
        day = formats.day(msg, date.fromisoformat(last.run_date))
        lines.append(msg("summary.show.last", date=day, state=state))
    return [section(body), section("\n".join(lines)), context(msg("summary.show.hint"))]
