"""The language step: the caller's and the channel's languages, resolved once per request.

``Ctx.msg`` then speaks the caller's, ``Ctx.channel_msg`` the channel's; and the rest of the
request (the work after its reply included) runs in the caller's ``speaking`` scope, so
the bot's scoped catalog (``Services.messages``) speaks it too. See ``bot.languages``.
"""

from __future__ import annotations

from bot.messages import speaking
from bot.middleware.base import Call, Next
from bot.replies import Reply


async def language(call: Call, next: Next) -> Reply:
    """Resolve the caller's and the channel's languages; run the rest in the caller's."""
    ctx = call.ctx
    spoken = await ctx.services.languages.resolve(ctx.user_id, ctx.channel_id)
    ctx.language, ctx.channel_language = spoken.user, spoken.channel
    with speaking(spoken.user):
        return await next()
