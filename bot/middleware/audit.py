"""Every command into the audit table (secrets masked); admin actions also to a channel."""

from __future__ import annotations

import logging
import time

from bot.masking import mask
from bot.messages import channel_link, mention
from bot.middleware.base import Call, Next
from bot.replies import Reply
from bot.store.models import AuditEntry

log = logging.getLogger(__name__)


async def audit(call: Call, next: Next) -> Reply:
    """Time the call, then record who, where, what, the outcome and the duration."""
    started = time.perf_counter()
    try:
        return await next()
    except BaseException:
        call.outcome = "crash"
        raise
    finally:
        await _record(call, int((time.perf_counter() - started) * 1000))


async def _record(call: Call, duration_ms: int) -> None:
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
        text = services.messages(
            "audit.admin_action",
            user=mention(ctx.user_id),
            channel=channel_link(ctx.channel_id),
            command=what,
            outcome=services.messages(f"audit.outcome.{call.outcome}"),
        )
        try:
            await services.chat.post(channel, text)
        except Exception:
            log.exception("could not post the audit copy of %s", call.name)
