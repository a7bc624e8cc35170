"""``/calls alert``: threshold rules on AICallCenter call records, their state and history,
and the Acknowledge / Mute 1 h buttons of the alerts they post (``bot.alerts``).

Setting or removing a rule is an admin's; reading them and answering an alert is an
operator's (the people on duty in the channel acknowledge what they are handling). A
button's value names a rule and its alert; it acts only when that rule belongs to the
channel the press came from.
"""

from __future__ import annotations

import json
from typing import Any

from bot.alerts.render import (
    ACK_ACTION,
    MUTE_ACTION,
    figure,
    history_blocks,
    rule_text,
    rules_blocks,
)
from bot.alerts.rules import (
    CHECK_MINUTES,
    RuleSpec,
    parse_condition,
    parse_min_calls,
    parse_window,
)
from bot.alerts.service import AlertService
from bot.args import Args, is_number
from bot.context import Ctx
from bot.errors import UserInputError
from bot.hygiene import Markup
from bot.providers.capabilities import Capability
from bot.render import formats
from bot.replies import Message, NoReply, Reply
from bot.routing import Role, Router

router = Router()


def _alerts(ctx: Ctx) -> AlertService:
    return ctx.services.alerts


def _campaign(args: Args) -> str | None:
    """``campaign=``: any text (AICallCenter's campaign_id is a string, see ``/calls``)."""
    value = args.get("campaign")
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise UserInputError("calls.empty_campaign")
    return value


def _rule_id(text: str | None) -> int:
    raw = (text or "").strip().removeprefix("#")
    if not is_number(raw) or int(raw) >= 2**31:
        raise UserInputError("alerts.bad.rule_id", value=text or "")
    return int(raw)


@router.command(
    "/calls",
    "alert on",
    role=Role.ADMIN,
    usage="usage.calls.alert_on",
    capability=Capability.CALL_RECORDS,
    options={"window", "min_calls", "campaign"},
)
async def alert_on(ctx: Ctx, args: Args) -> Reply:
    """Add a threshold rule for this channel."""
    spec = RuleSpec(
        parse_condition(args.positional),
        parse_window(args.get("window")),
        parse_min_calls(args.get("min_calls")),
        _campaign(args),
    )
    assert ctx.connection is not None  # declared capability: resolved by the middleware
    rule = await _alerts(ctx).add(ctx.channel_id, ctx.connection, spec, ctx.user_id)
    msg = ctx.channel_msg  # posted for everyone in the channel
    campaign = msg("alerts.campaign", campaign=rule.campaign) if rule.campaign else ""
    text = msg(
        "alerts.on.done",
        user=ctx.user_id,
        id=rule.id,
        metric=msg(f"alerts.metric.{rule.metric}"),
        op=msg("alerts.op.below" if rule.op == "<" else "alerts.op.above"),
        threshold=figure(msg, rule.metric, rule.threshold),
        window=msg("alerts.window", minutes=rule.window_minutes),
        min_calls=formats.number(msg, rule.min_calls),
        campaign=Markup(campaign),
        connection=rule.connection,
        every=CHECK_MINUTES,
    )
    return Message(text, ephemeral=False)


@router.command("/calls", "alert off", role=Role.ADMIN, usage="usage.calls.alert_off", min_args=1)
async def alert_off(ctx: Ctx, args: Args) -> Reply:
    """Remove one of the channel's rules."""
    if len(args.positional) > 1:
        raise UserInputError("usage.unexpected", word=args.positional[1])
    rule_id = _rule_id(args.first())
    removed = await _alerts(ctx).remove(ctx.channel_id, rule_id, ctx.user_id)
    if removed is None:
        return Message(ctx.msg("alerts.off.none", id=rule_id))
    text = ctx.channel_msg(
        "alerts.off.done", user=ctx.user_id, id=rule_id, rule=Markup(f"`{rule_text(removed)}`")
    )
    return Message(text, ephemeral=False)


@router.command("/calls", "alert history", role=Role.OPERATOR, usage="usage.calls.alert_history")
async def alert_history(ctx: Ctx, args: Args) -> Reply:
    """The channel's last 20 alert events."""
    if args.positional:
        raise UserInputError("usage.unexpected", word=args.positional[0])
    events = await _alerts(ctx).store.events(ctx.channel_id, limit=20)
    if not events:
        return Message(ctx.msg("alerts.history.none"))
    blocks = history_blocks(ctx.msg, events, ctx.services.config.tz)
    return Message(ctx.msg("alerts.history.text", count=len(events)), blocks)


@router.command("/calls", "alert", role=Role.OPERATOR, usage="usage.calls.alert")
async def alert_list(ctx: Ctx, args: Args) -> Reply:
    """The channel's rules and where each one's check stands."""
    if args.positional:
        raise UserInputError("usage.unexpected", word=args.positional[0])
    rules = await _alerts(ctx).store.rules(ctx.channel_id)
    if not rules:
        return Message(ctx.msg("alerts.list.none"))
    config = ctx.services.config
    blocks = rules_blocks(ctx.msg, rules, config.tz, ctx.services.now())
    return Message(ctx.msg("alerts.list.text", count=len(rules)), blocks)


def _button(payload: dict[str, Any]) -> tuple[int, int]:
    """The rule and alert a button names (anything else: not an alert of this channel)."""
    try:
        value = json.loads(str(payload.get("value") or ""))
        rule, event = value["rule"], value["event"]
    except (ValueError, TypeError, KeyError):
        raise UserInputError("alerts.button.closed") from None
    if not (isinstance(rule, int) and isinstance(event, int)) or not (
        0 < rule < 2**31 and 0 < event < 2**31
    ):
        raise UserInputError("alerts.button.closed")
    return rule, event


@router.action(ACK_ACTION, role=Role.OPERATOR)
async def alert_ack_button(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Acknowledge: who and when are recorded, then shown on the alert."""
    rule, event = _button(payload)
    await _alerts(ctx).acknowledge(ctx.channel_id, rule, event, ctx.user_id, ctx.request.message_ts)
    return NoReply()


@router.action(MUTE_ACTION, role=Role.OPERATOR)
async def alert_mute_button(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Mute 1 h: the rule's alerts are held back for an hour (posted after, if still due)."""
    rule_id, event = _button(payload)
    rule = await _alerts(ctx).mute(
        ctx.channel_id, rule_id, event, ctx.user_id, ctx.request.message_ts
    )
    until = rule.muted_until
    assert until is not None
    when = formats.moment(ctx.msg, until.astimezone(ctx.services.config.tz))
    return Message(ctx.msg("alerts.mute.done", id=rule_id, until=when))
