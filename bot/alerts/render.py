"""Alert messages: the alert with its buttons, recovered, provider down/back, the rule list
and the history. Pure: rules and events in, text and blocks out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.alerts.rules import METRICS, Condition, recovery_point
from bot.hygiene import Markup
from bot.messages import Messages, mention
from bot.render import formats
from bot.render.blocks import Block, actions, button, context, header, line_sections, section
from bot.replies import Blocks
from bot.store.models import AlertEvent, AlertRule

__all__ = [
    "ACK_ACTION",
    "MUTE_ACTION",
    "alert_post",
    "back_text",
    "condition_of",
    "down_text",
    "figure",
    "history_blocks",
    "recovered_note",
    "recovered_text",
    "removed_note",
    "rule_lines",
    "rule_text",
]

ACK_ACTION = "alert_ack"
MUTE_ACTION = "alert_mute"


def condition_of(rule: AlertRule) -> Condition:
    """A saved rule's condition."""
    return Condition(METRICS[rule.metric], rule.op, rule.threshold)


def rule_text(rule: AlertRule) -> str:
    """The rule as typed, e.g. ``answer_rate<40% window=60m min_calls=30 campaign=7``."""
    text = f"{condition_of(rule).text} window={rule.window_minutes}m min_calls={rule.min_calls}"
    return text + (f" campaign={rule.campaign}" if rule.campaign else "")


def figure(msg: Messages, rule: AlertRule | str, value: float | None) -> str:
    """A figure of the rule's metric: ``32.5%`` for a rate, ``57`` for a count."""
    metric = METRICS[rule if isinstance(rule, str) else rule.metric]
    if value is None:
        return "—"
    if metric.rate:
        return formats.decimal(msg, value) + "%"
    return formats.number(msg, round(value))


def _words(msg: Messages, rule: AlertRule) -> dict[str, object]:
    """What most sentences about a rule use."""
    condition = condition_of(rule)
    campaign = msg("alerts.campaign", campaign=rule.campaign) if rule.campaign else ""
    return {
        "id": rule.id,
        "metric": msg(f"alerts.metric.{rule.metric}"),
        "op": msg("alerts.op.below" if rule.op == "<" else "alerts.op.above"),
        "threshold": figure(msg, rule, rule.threshold),
        "recover": figure(msg, rule, recovery_point(condition)),
        "window": msg("alerts.window", minutes=rule.window_minutes),
        "min_calls": formats.number(msg, rule.min_calls),
        "campaign": Markup(campaign),
        "connection": rule.connection,
    }


def _local(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


def alert_post(
    msg: Messages,
    rule: AlertRule,
    fired: AlertEvent,
    tz: tzinfo,
    *,
    closed: str | None = None,
) -> tuple[str, Blocks]:
    """The alert: figure, threshold, window; Acknowledge / Mute 1 h while it is open, and
    who acknowledged or muted it once they did. ``closed`` (it recovered, its rule was
    removed) replaces all that: the alert is over and its buttons go."""
    words = _words(msg, rule)
    value = figure(msg, rule, fired.value)
    calls = formats.number(msg, fired.calls or 0)
    when = formats.moment(msg, _local(fired.at, tz))
    text = msg("alerts.alert.text", figure=value, calls=calls, **words)
    blocks: list[Block] = [
        header(msg("alerts.alert.title", **words)),
        section(msg("alerts.alert.body", figure=value, calls=calls, since=when, **words)),
        context(msg("alerts.alert.context", **words)),
    ]
    notes = []
    if closed is not None:
        notes.append(closed)
    else:
        if rule.acked_by and rule.acked_at:
            at = formats.moment(msg, _local(rule.acked_at, tz))
            notes.append(msg("alerts.alert.acked", user=mention(rule.acked_by), when=at))
        if rule.muted_by and rule.muted_until and rule.muted_until > fired.at:
            until = formats.moment(msg, _local(rule.muted_until, tz))
            notes.append(msg("alerts.alert.muted", user=mention(rule.muted_by), until=until))
    if notes:
        blocks.append(context(*notes))
    if closed is None:
        value_of = {"rule": rule.id, "event": fired.id}
        buttons = []
        if not rule.acked_by:
            buttons.append(button(msg("alerts.button.ack"), ACK_ACTION, value_of, style="primary"))
        buttons.append(button(msg("alerts.button.mute"), MUTE_ACTION, value_of))
        blocks.append(actions(*buttons, block_id=f"alert-{rule.id}"))
    return text, blocks


def recovered_note(msg: Messages, rule: AlertRule, recovered: AlertEvent, tz: tzinfo) -> str:
    """What the alert itself says once it recovered."""
    at = formats.moment(msg, _local(recovered.at, tz))
    return msg("alerts.alert.recovered", when=at, figure=figure(msg, rule, recovered.value))


def removed_note(msg: Messages, user: str, at: datetime, tz: tzinfo) -> str:
    """What the alert itself says once its rule was removed."""
    return msg("alerts.alert.removed", user=mention(user), when=formats.moment(msg, _local(at, tz)))


def recovered_text(msg: Messages, rule: AlertRule, event: AlertEvent) -> str:
    """The "recovered" reply in the alert's thread."""
    calls = formats.number(msg, event.calls or 0)
    return msg(
        "alerts.recovered", figure=figure(msg, rule, event.value), calls=calls, **_words(msg, rule)
    )


def down_text(msg: Messages, rule: AlertRule, reason: str) -> str:
    """The one post saying a rule cannot be checked."""
    return msg("alerts.down", reason=Markup(reason), **_words(msg, rule))


def back_text(msg: Messages, rule: AlertRule) -> str:
    """The one post saying a rule is checked again."""
    return msg("alerts.back", **_words(msg, rule))


def rule_lines(msg: Messages, rule: AlertRule, tz: tzinfo, now: datetime) -> list[str]:
    """A rule in ``/calls alert``: what it watches, then where its check stands."""
    words = _words(msg, rule)
    lines = [msg("alerts.list.rule", **words)]
    state = []
    if rule.state == "firing" and rule.since:
        state.append(msg("alerts.state.firing", since=formats.moment(msg, _local(rule.since, tz))))
        if rule.acked_by and rule.acked_at:
            at = formats.moment(msg, _local(rule.acked_at, tz))
            state.append(msg("alerts.state.acked", user=mention(rule.acked_by), when=at))
        if rule.alert_post == "interrupted":
            state.append(msg("alerts.state.interrupted"))
        elif rule.alert_post == "failed":
            state.append(msg("alerts.state.post_failed"))
    elif rule.state == "pending":
        state.append(msg("alerts.state.pending"))
    elif rule.checked_at is not None:
        state.append(msg("alerts.state.ok"))
    if rule.muted_until and rule.muted_by and rule.muted_until > now:
        until = formats.moment(msg, _local(rule.muted_until, tz))
        state.append(msg("alerts.state.muted", user=mention(rule.muted_by), until=until))
    if rule.down_since is not None:
        since = formats.moment(msg, _local(rule.down_since, tz))
        state.append(
            msg("alerts.state.down", since=since, reason=Markup(rule.down_reason or ""), **words)
        )
    if rule.checked_at is None:
        state.append(msg("alerts.state.never"))
    elif rule.last_calls is not None:
        at = formats.moment(msg, _local(rule.checked_at, tz))
        calls = formats.number(msg, rule.last_calls)
        state.append(
            msg(
                "alerts.state.last", when=at, figure=figure(msg, rule, rule.last_value), calls=calls
            )
        )
    lines.append("    " + " · ".join(state))
    return lines


def rules_blocks(
    msg: Messages, rules: Sequence[AlertRule], tz: tzinfo, now: datetime
) -> list[Block]:
    """The channel's rules with their state."""
    lines = [line for rule in rules for line in rule_lines(msg, rule, tz, now)]
    sections, _ = line_sections(lines, 45)
    return [header(msg("alerts.list.title")), *sections, context(msg("alerts.list.hint"))]


def history_blocks(msg: Messages, events: Sequence[AlertEvent], tz: tzinfo) -> list[Block]:
    """The channel's latest events, newest first."""
    lines = []
    for event in events:
        # The rule may be gone: its text, saved with the event, says what the figure was.
        metric = next((name for name in METRICS if event.rule_text.startswith(name)), None)
        what = msg(
            f"alerts.event.{event.kind}",
            user=mention(event.user_id or ""),
            figure=figure(msg, metric, event.value) if metric else "—",
            calls=formats.number(msg, event.calls or 0),
            reason=event.detail or "",
        )
        lines.append(
            msg(
                "alerts.history.line",
                when=formats.moment(msg, _local(event.at, tz)),
                id=event.rule_id,
                rule=Markup(f"`{event.rule_text}`"),
                what=Markup(what),
            )
        )
    sections, _ = line_sections(lines, 45)
    return [header(msg("alerts.history.title")), *sections]
