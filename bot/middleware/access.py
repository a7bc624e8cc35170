"""The access step: refuse callers below the required role, resolve the connection.

The rules themselves are ``bot.access`` (they need only the config).
"""

from __future__ import annotations

from bot.access import Role, channel_connections, resolve_connection, role_of
from bot.errors import PermissionDenied
from bot.messages import mentions
from bot.middleware.base import Call, Next
from bot.replies import Reply


async def access(call: Call, next: Next) -> Reply:
    """Refuse callers below the required role; resolve the connection for the handler."""
    ctx = call.ctx
    config = ctx.services.config
    ctx.role = role_of(config, ctx.user_id)
    if ctx.role < call.role:
        key = "access.admin_only" if call.role is Role.ADMIN else "access.operator_only"
        raise PermissionDenied(key, admins=mentions(config.admins))
    ctx.allowed = channel_connections(config, ctx.channel_id)
    if call.needs_connection:
        ctx.connection = resolve_connection(config, ctx.channel_id, call.via, call.capability)
    return await next()
