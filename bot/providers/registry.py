"""Build one client per configured connection and close them together."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import httpx

from bot.config import (
    AICallCenterConnection,
    AlohubConnection,
    Connection,
    OmicallConnection,
    VbeeConnection,
)
from bot.providers.base import ProviderClient
from bot.providers.retry import RetryPolicy


def build_client(
    connection: Connection,
    *,
    http: httpx.AsyncClient | None = None,
    retry: RetryPolicy | None = None,
) -> ProviderClient:
    """The client for ``connection``'s provider."""
    # Imported here so that a test of one client does not import the others.
    if isinstance(connection, AlohubConnection):
        from bot.providers.alohub import AlohubClient

        return AlohubClient(connection, http=http, retry=retry)
    if isinstance(connection, VbeeConnection):
        from bot.providers.vbee import VbeeClient

        return VbeeClient(connection, http=http, retry=retry)
    if isinstance(connection, AICallCenterConnection):
        from bot.providers.aicallcenter import AICallCenterClient

        return AICallCenterClient(connection, http=http, retry=retry)
    if isinstance(connection, OmicallConnection):
        from bot.providers.omicall import OmicallClient

        return OmicallClient(connection, http=http, retry=retry)
    raise TypeError(f"no client for {type(connection).__name__}")


class Clients(Mapping[str, ProviderClient]):
    """The clients of every connection, by connection name, built on first use."""

    def __init__(self, connections: Mapping[str, Connection], retry: RetryPolicy | None = None):
        self._connections = dict(connections)
        self._retry = retry
        self._clients: dict[str, ProviderClient] = {}

    def __getitem__(self, name: str) -> ProviderClient:
        if name not in self._clients:
            self._clients[name] = build_client(self._connections[name], retry=self._retry)
        return self._clients[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._connections)

    def __len__(self) -> int:
        return len(self._connections)

    async def aclose(self) -> None:
        """Close every client opened so far."""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
