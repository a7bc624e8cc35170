"""The Slack bot: the runtime (``bot.runtime``) with a Slack chat port, behind a Bolt app."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid

from slack_bolt.async_app import AsyncApp

from bot.config import Config, Environment
from bot.runtime import Runtime
from bot.services import Services
from bot.slack.app import build_app, web_client
from bot.slack.chat import SlackChat
from bot.slack.handover import Handover
from bot.slack.server import SlackHttpServer
from bot.store.pending import PendingStore

log = logging.getLogger(__name__)

# How long a stop waits for commands that were acked but are not answered yet.
STOP_GRACE = 10.0


class Bot:
    """One bot process: build with ``Bot(config, env)``, then ``start_http``, or Socket Mode
    (``bot.slack.socket_mode``) with ``listen_for_operations``."""

    def __init__(self, config: Config, env: Environment) -> None:
        token = env.slack_bot_token.get_secret_value() if env.slack_bot_token else ""
        self.client = web_client(token, env.slack_api_url)
        self.chat = SlackChat(self.client, max_download=config.imports.max_bytes)
        self.runtime = Runtime(config, chat=self.chat, paced=True)
        self.dispatcher = self.runtime.dispatcher
        self._signing_secret = (
            env.slack_signing_secret.get_secret_value() if env.slack_signing_secret else ""
        )
        # Who claims this process's acked commands in pending_commands (bot.slack.handover).
        self.replica = f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.pending = PendingStore(self.services.store, self.replica)
        self.app: AsyncApp
        self.app, self.listeners = build_app(
            self.dispatcher,
            chat=self.chat,
            home=self.runtime.home,
            signing_secret=self._signing_secret,
            pending=self.pending,
        )
        self.handover = Handover(self.listeners, self.pending, self.services)
        self._http: SlackHttpServer | None = None
        self._stopped = False
        self.stop_grace = STOP_GRACE

    @property
    def services(self) -> Services:
        """What handlers see (tests read the store and the job engine through it)."""
        return self.runtime.services

    async def start_background(self) -> None:
        """Resume jobs and schedules from the database; answer what a dead replica acked."""
        store = self.services.store
        try:  # so that the first burst of commands finds them open
            await store.write_for_ack(store.connect_for_acks)
        except Exception as error:  # opened on first use instead
            log.warning("could not open the connections for acks (%s)", type(error).__name__)
        await self.runtime.start()
        await self.handover.start()

    async def start_http(self, host: str = "0.0.0.0", port: int = 3000) -> int:
        """Serve Slack over HTTP in this process (``bot.slack.server``); returns the bound port.

        The port comes first: a bot that cannot have it (``OSError``) stops before resuming
        any job, instead of claiming batches it then abandons as it exits.
        """
        if not self._signing_secret:
            raise ValueError("HTTP mode needs the Slack signing secret")
        self._http = SlackHttpServer(
            self.app,
            self.services.store,
            host,
            port,
            signing_secret=self._signing_secret,
            busy=self.listeners.backlog.busy,
        )
        self._http.listen()
        await self.start_background()
        port = await self._http.start()
        log.info("callops listening on http://%s:%d/slack/events", host, port)
        return port

    def listen_for_operations(self, host: str = "0.0.0.0", port: int = 3000) -> int:
        """In Socket Mode, take the port for ``/healthz`` and ``/metrics``; returns it.

        Taken before any job resumes, like ``start_http``'s (``OSError`` when it cannot);
        ``start_serving_operations`` then answers on it.
        """
        self._http = SlackHttpServer(
            self.app,
            self.services.store,
            host,
            port,
            signing_secret="",
            busy=self.listeners.backlog.busy,
            events=False,
        )
        return self._http.listen()

    async def start_serving_operations(self) -> int:
        """Answer ``/healthz`` and ``/metrics`` on the port ``listen_for_operations`` took."""
        assert self._http is not None and not self._http.events
        port = await self._http.start()
        log.info("callops serves /healthz and /metrics on http://%s:%d", self._http.host, port)
        return port

    async def drain(self) -> None:
        """Wait for the work handed over so far (tests, shutdown)."""
        await self.runtime.drain()

    async def stop(self) -> None:
        """Stop serving, finish the commands already acked, stop background work, close.

        Acked commands not answered within ``STOP_GRACE`` are stopped and left in the
        database unclaimed: the next replica (or start) answers them (``stop_grace``).
        """
        if self._stopped:
            return
        self._stopped = True
        if self._http is not None:
            await self._http.stop()
            self._http = None
        await self.handover.stop()
        try:
            async with asyncio.timeout(self.stop_grace):
                await self.runtime.drain()
        except TimeoutError:
            log.warning("stopping with commands still being answered: handing them over")
        await self.runtime.stop()
        await self.runtime.background.cancel()
        await self.handover.release()
        await self.runtime.aclose()
        await self.chat.aclose()
