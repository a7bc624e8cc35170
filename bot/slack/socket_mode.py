"""Socket Mode: one WebSocket to Slack, opened once at start-up, reconnected by slack_sdk.

Two things differ from ``AsyncSocketModeHandler`` used as is:

- The connection URL that start-up asks ``apps.connections.open`` for (which also checks
  the app token: a refused token deserves one sentence, not retries forever) is the one
  connected to; the handler asked for a second one, throwing the first away.
- A ``disconnect`` whose reason is ``link_disabled`` (Socket Mode was turned off in the
  app's settings) ends the connection for good and sets ``link_disabled``; slack_sdk
  would reconnect, be refused, and retry forever. Other reasons reconnect as before.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.aiohttp import SocketModeClient

log = logging.getLogger(__name__)

# Between pings on the WebSocket (Bolt's handler uses 10 s too).
PING_INTERVAL = 10.0


class SocketMode(AsyncSocketModeHandler):
    """Bolt's Socket Mode handler on a client that knows ``link_disabled``."""

    client: _Client

    def __init__(self, app: AsyncApp, app_token: str, *, ping_interval: float = PING_INTERVAL):
        # AsyncSocketModeHandler.__init__ would build a client of its own (and an aiohttp
        # session with it); this sets the same attributes with ours instead.
        self.app = app
        self.app_token = app_token
        self.client = _Client(
            app_token=app_token,
            logger=app.logger,
            web_client=app.client,
            ping_interval=ping_interval,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]

    @property
    def link_disabled(self) -> asyncio.Event:
        """Set when Slack said Socket Mode is turned off for the app."""
        return self.client.link_disabled

    async def open(self) -> None:
        """Ask Slack for a connection URL; raises ``SlackApiError`` when Slack refuses.

        Network trouble is left to the client's own retries (it then asks again).
        """
        try:
            response = await self.client.web_client.apps_connections_open(app_token=self.app_token)
        except (OSError, TimeoutError) as error:
            log.warning("could not reach Slack to open Socket Mode (%s)", type(error).__name__)
            return
        self.client.wss_uri = response["url"]

    async def start(self) -> None:
        """Open (unless done) and connect; returns once connected."""
        if self.client.wss_uri is None:
            await self.open()
        await self.connect_async()


class _Client(SocketModeClient):
    """slack_sdk's aiohttp client, but ``link_disabled`` stops it instead of reconnecting."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.link_disabled = asyncio.Event()

    async def run_message_listeners(self, message: dict[str, Any], raw_message: str) -> None:
        """Handle one message; ``disconnect`` ``link_disabled`` does not reconnect."""
        if _is_link_disabled(message):
            self._stop_for_good()
            return
        await super().run_message_listeners(message, raw_message)

    def _stop_for_good(self) -> None:
        if self.link_disabled.is_set():
            return
        log.error("Slack turned Socket Mode off for this app (disconnect: link_disabled)")
        # Neither the close that follows nor the session monitor may reconnect.
        self.default_auto_reconnect_enabled = self.auto_reconnect_enabled = False
        self.link_disabled.set()


def _is_link_disabled(message: Any) -> bool:
    return (
        isinstance(message, dict)
        and message.get("type") == "disconnect"
        and message.get("reason") == "link_disabled"
    )
