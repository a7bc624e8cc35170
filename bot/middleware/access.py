"""Roles and channel bindings: who may run what, where, on which connection."""

from __future__ import annotations

from bot.config import Config
from bot.errors import PermissionDenied, UnsupportedOperation
from bot.messages import mentions
from bot.middleware.base import Call, Next
from bot.providers.capabilities import CAPABILITIES, Capability, providers_that_can
from bot.replies import Reply
from bot.routing import Role


def role_of(config: Config, user_id: str) -> Role:
    """The caller's role: admin, operator (everyone when ``operators`` is empty) or stranger."""
    if user_id in config.admins:
        return Role.ADMIN
    if not config.operators or user_id in config.operators:
        return Role.OPERATOR
    return Role.STRANGER


def channel_connections(config: Config, channel_id: str) -> tuple[str, ...]:
    """The connections a channel may use, its default first (``"*"`` covers the rest)."""
    return tuple(config.channels.get(channel_id) or config.channels.get("*") or ())


def resolve_connection(
    config: Config,
    channel_id: str,
    via: str | None,
    capability: Capability | None,
) -> str:
    """The connection a request uses: ``via=``, else the channel's first able one."""
    allowed = channel_connections(config, channel_id)
    if not allowed:
        raise PermissionDenied("access.channel_unbound")
    if via is not None:
        if via not in config.connections:
            raise PermissionDenied(
                "access.unknown_connection", connection=via, allowed=", ".join(allowed)
            )
        if via not in allowed:
            raise PermissionDenied(
                "access.connection_not_bound", connection=via, allowed=", ".join(allowed)
            )
        chosen = via
    elif capability is None:
        chosen = allowed[0]
    else:
        able = [n for n in allowed if capability in CAPABILITIES[config.connections[n].provider]]
        chosen = able[0] if able else allowed[0]
    provider = config.connections[chosen].provider
    if capability is not None and capability not in CAPABILITIES[provider]:
        raise UnsupportedOperation(
            capability.value, chosen, provider, providers_that_can(capability)
        )
    return chosen


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
