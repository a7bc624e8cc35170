"""Provider clients: one per provider, built from a configured connection.

Knows nothing of Slack, the database or the message catalog: typed arguments in,
typed models out, ``bot.errors.ProviderError`` subclasses on failure.
"""

from __future__ import annotations

from bot.providers.base import ProviderClient
from bot.providers.capabilities import CAPABILITIES, Capability, providers_that_can, require
from bot.providers.pagination import Page, iterate
from bot.providers.registry import Clients, build_client

__all__ = [
    "CAPABILITIES",
    "Capability",
    "Clients",
    "Page",
    "ProviderClient",
    "build_client",
    "iterate",
    "providers_that_can",
    "require",
]
