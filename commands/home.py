"""The App Home's buttons: an open alert's *Acknowledge*.

Home has no channel and no ``response_url``: what the press did is shown on the user's
Home itself, published again at once (``HomeService.acknowledge``), which also checks that
the presser is in the alert's channel (a button's value is never trusted alone).
"""

from __future__ import annotations

from typing import Any

from bot.context import Ctx
from bot.home import HOME_ACK_ACTION
from bot.replies import NoReply, Reply
from bot.routing import Role, Router

router = Router()


@router.action(HOME_ACK_ACTION, role=Role.OPERATOR)
async def home_alert_ack(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Acknowledge the alert the button names, for the user who pressed it."""
    channel, key = payload.get("channel"), payload.get("id")
    await ctx.services.home.acknowledge(ctx.user_id, str(channel or ""), str(key or ""))
    return NoReply()
