"""Which connection ``/calls`` uses: call records where the channel has them, else progress.

``/calls`` is the one command two capabilities answer (AICallCenter call records, Alohub
campaign progress), so it cannot declare a single capability for the access middleware.
The rule, the middleware's rule applied to both in turn: ``via=`` when given (its provider
decides what is shown); otherwise the channel's first connection with call records, else
its first with campaign progress. Binding and unknown names are refused by the
middleware's own ``resolve_connection``; a provider with neither is ``UnsupportedOperation``.
"""

from __future__ import annotations

from bot.config import Config
from bot.errors import UnsupportedOperation
from bot.middleware.access import channel_connections, resolve_connection
from bot.providers.capabilities import CAPABILITIES, Capability, providers_that_can

__all__ = ["CALLS_CAPABILITIES", "CALLS_OPERATION", "resolve_calls_connection"]

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
    # Neither: let the middleware's rules name the binding problem first, if there is one.
    name = resolve_connection(config, channel, via, None)
    raise UnsupportedOperation(
        CALLS_OPERATION, name, config.connections[name].provider, CALLS_PROVIDERS
    )
