"""Every command into the audit table (secrets masked); admin actions also to a channel."""

from __future__ import annotations

import logging
import time

from bot import metrics
from bot.context import Later
from bot.masking import mask
from bot.messages import channel_link, mention, speaking
from bot.middleware.base import Call, Next
from bot.middleware.errors import sentence
from bot.replies import Message, Reply
from bot.store.models import AuditEntry

log = logging.getLogger(__name__)


async def audit(call: Call, next: Next) -> Reply:
    """Time the call, then record who, where, what, the outcome and the duration.

    A handler that left work for after its reply (``Ctx.after_reply``) is recorded when
    that work ends, with its outcome; the copy for the audit channel is always posted
    from a task, after the request's ack.
    """
    started = time.perf_counter()
    try:
        reply = await next()
    except BaseException:
        call.outcome = "crash"
        await _record(call, _since(started))
        raise
    later = call.ctx.later
    if later is not None and call.outcome == "ok":
        call.ctx.services.spawn(after_reply(call, later, started), name=later.name)
    else:
        await _record(call, _since(started))
    return reply


async def after_reply(call: Call, later: Later, started: float) -> None:
    """Run the work after a reply once: tell the user its result or failure, then audit it.

    In the caller's language, like the reply it follows (``bot.middleware.language``).
    """
    ctx = call.ctx
    with speaking(ctx.language or ctx.services.languages.default):
        await _after_reply(call, later, started)


async def _after_reply(call: Call, later: Later, started: float) -> None:
    ctx = call.ctx
    try:
        try:
            message = await later.work()
        except Exception as error:  # told as the operator's sentence, never a trace
            text = sentence(call, error)
            if later.tell_failure is None:
                message = Message(text)
            else:
                message = None
                await later.tell_failure(error, text)
        if message is not None:
            await ctx.services.chat.ephemeral(
                ctx.channel_id, ctx.user_id, message.text, message.blocks or None
            )
    except Exception:  # telling failed (Slack down): the audit still records the work
        log.exception("could not tell the user the outcome of %s", later.name)
    finally:
        await _record(call, _since(started))


def _since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


async def _record(call: Call, duration_ms: int) -> None:
    if call.outcome == "ok" and call.ctx.failure is not None:
        call.outcome, call.detail = call.ctx.failure
    metrics.COMMANDS.labels(family=metrics.command_family(call.name), outcome=call.outcome).inc()
    ctx = call.ctx
    services = ctx.services
    what = mask(call.audit_text or call.name, services.secrets)
    entry = AuditEntry(
        user_id=ctx.user_id,
        channel_id=ctx.channel_id,
        command=what,
        connection=ctx.connection,
        role=ctx.role.name.lower(),
        outcome=call.outcome,
        detail=mask(call.detail, services.secrets) if call.detail else None,
        duration_ms=duration_ms,
    )
    try:
        await services.store.audit(entry)  # on the store's thread, off the event loop
    except Exception:  # the audit must never turn a done command into a failure
        log.exception("could not write the audit entry for %s", call.name)
    channel = services.config.audit_channel
    if call.admin_action and channel:
        # A modal's ack is its listener's return: a task runs after it, never before.
        services.spawn(_copy(call, channel, what), name="audit copy")


async def _copy(call: Call, channel: str, what: str) -> None:
    """Tell the audit channel, in its language."""
    ctx = call.ctx
    services = ctx.services
    try:
        async with services.languages.channel_scope(channel) as msg:
            text = msg(
                "audit.admin_action",
                user=mention(ctx.user_id),
                channel=channel_link(ctx.channel_id),
                command=what,
                outcome=msg(f"audit.outcome.{call.outcome}"),
            )
            await services.chat.post(channel, text)
    except Exception:
        log.exception("could not post the audit copy of %s", call.name)
