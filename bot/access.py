"""Access policy: roles, channel bindings and which connection a request uses.

Everything here is decided by the config alone (and the static capability table of the
providers), so the middleware, ``/calls``, ``/import`` and the console ask the same rules
and none of them needs the running bot to do it.

``/calls`` is the one command two capabilities answer (AICallCenter call records, Alohub
campaign progress), so it cannot declare a single capability for the access middleware.
Its rule is the general rule applied to both in turn: ``via=`` when given (its provider
decides what is shown); otherwise the channel's first connection with call records, else
its first with campaign progress. Binding and unknown names are refused by
``resolve_connection``; a provider with neither is ``UnsupportedOperation``.
"""

from __future__ import annotations

from enum import IntEnum

from bot.config import Config
from bot.errors import PermissionDenied, UnsupportedOperation
from bot.providers.capabilities import CAPABILITIES, Capability, providers_that_can

__all__ = [
    "CALLS_CAPABILITIES",
    "CALLS_OPERATION",
    "CALLS_PROVIDERS",
    "Role",
    "channel_connections",
    "resolve_calls_connection",
    "resolve_connection",
    "role_of",
]


class Role(IntEnum):
    """Who the caller is; a higher role may do everything a lower one may."""

    STRANGER = 0
    OPERATOR = 1
    ADMIN = 2


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


CALLS_CAPABILITIES = (Capability.CALL_RECORDS, Capability.CAMPAIGN_PROGRESS)
CALLS_OPERATION = "calls"  # catalog key capability.calls
# The providers that can answer /calls (named when a connection cannot).
CALLS_PROVIDERS = tuple(dict.fromkeys(p for c in CALLS_CAPABILITIES for p in providers_that_can(c)))


def resolve_calls_connection(
    config: Config, channel: str, via: str | None
) -> tuple[str, Capability]:
    """The connection ``/calls`` uses in ``channel`` and what it can show there."""
    if via is not None:
        provider = config.connections[via].provider if via in config.connections else None
        candidates = [via] if provider else []
    else:
        candidates = list(channel_connections(config, channel))
    for capability in CALLS_CAPABILITIES:
        if any(capability in CAPABILITIES[config.connections[n].provider] for n in candidates):
            return resolve_connection(config, channel, via, capability), capability
    # Neither: let the general rules name the binding problem first, if there is one.
    name = resolve_connection(config, channel, via, None)
    raise UnsupportedOperation(
        CALLS_OPERATION, name, config.connections[name].provider, CALLS_PROVIDERS
    )
