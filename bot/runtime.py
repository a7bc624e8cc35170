"""The running bot: services, dispatcher, Bolt app, jobs and scheduler, started together."""

from __future__ import annotations

import asyncio
import gc
import logging

from slack_bolt.async_app import AsyncApp

from bot.config import Config, Environment
from bot.dispatcher import Dispatcher
from bot.services import Services
from bot.slack.app import build_app, web_client
from bot.slack.chat import SlackChat
from bot.slack.server import SlackHttpServer

log = logging.getLogger(__name__)

# How long a stop waits for commands that were acked but are not answered yet.
STOP_GRACE = 10.0


class Bot:
    """One bot process: build with ``Bot(config, env)``, then ``start_http`` or ``start_socket``."""

    def __init__(self, config: Config, env: Environment) -> None:
        from commands import ROUTER

        token = env.slack_bot_token.get_secret_value() if env.slack_bot_token else ""
        self.client = web_client(token, env.slack_api_url)
        self.chat = SlackChat(self.client, max_download=config.imports.max_bytes)
        self.services = Services.build(config, chat=self.chat)
        self.dispatcher = Dispatcher(self.services, ROUTER)
        self._signing_secret = (
            env.slack_signing_secret.get_secret_value() if env.slack_signing_secret else ""
        )
        self.app: AsyncApp
        self.app, self.listeners = build_app(
            self.dispatcher, chat=self.chat, signing_secret=self._signing_secret
        )
        self._http: SlackHttpServer | None = None
        self._stopped = False

    async def start_background(self) -> None:
        """Resume jobs and schedules from the database."""
        from bot.background import start_background

        await start_background(self.services)

    async def start_http(self, host: str = "0.0.0.0", port: int = 3000) -> int:
        """Serve Slack over HTTP in this process (``bot.slack.server``); returns the bound port."""
        if not self._signing_secret:
            raise ValueError("HTTP mode needs the Slack signing secret")
        await self.start_background()
        self._http = SlackHttpServer(self.app, self.services.store, host, port)
        port = await self._http.start()
        log.info("callops listening on http://%s:%d/slack/events", host, port)
        return port

    async def drain(self) -> None:
        """Wait for the work handed over so far (tests, shutdown)."""
        await self.services.drain()

    async def stop(self) -> None:
        """Stop serving, finish the commands already acked, stop background work, close."""
        from bot.background import stop_background

        if self._stopped:
            return
        self._stopped = True
        if self._http is not None:
            await self._http.stop()
            self._http = None
        try:
            async with asyncio.timeout(STOP_GRACE):
                await self.services.drain()
        except TimeoutError:
            log.warning("stopping with commands still being answered")
        await stop_background(self.services)
        await self.services.aclose()
        await self.chat.aclose()


def freeze_start_up_objects() -> None:
    """Keep what start-up built (modules, config, clients: ~150,000 objects) out of every
    later garbage collection: it lives as long as the process. Without this, each full
    collection walked all of it, 0.2–0.4 s with the loop stopped, and every ack waiting
    then waited that long (bench/ack_latency.py; ~20 ms after). Call it once, serving."""
    gc.collect()
    gc.freeze()
