"""HTTP mode: Slack's requests arrive at a front-door process and are handled here.

The bot opens the listening socket (``POST /slack/events``, ``GET /healthz``) and starts
``bot.slack.frontdoor`` on it: that process verifies each request and acks it within
milliseconds however busy the bot is, and hands it over the link. Here each request goes
through Bolt as usual (listeners, middleware); the answer is sent back only for the
requests Slack reads the answer of (modal submissions). If the front door dies, the bot
logs it and starts another on the same socket; requests wait in the socket's backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.slack.link import LinkError, encode, read_frame

log = logging.getLogger(__name__)

# A front door that dies at once (say, a broken install) is not restarted in a tight loop.
RESTART_DELAY = 1.0
STOP_TIMEOUT = 15.0


class FrontDoorFailed(RuntimeError):
    """The front-door process did not start."""


class FrontDoor:
    """The listening socket, the front-door process on it, and the link to that process."""

    def __init__(self, app: AsyncApp, host: str, port: int, *, signing_secret: str) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._secret = signing_secret
        self._listener: socket.socket | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._handling: set[asyncio.Task[None]] = set()
        self._stopping = False

    @property
    def pid(self) -> int | None:
        """The running front door's process id (tests)."""
        return self._process.pid if self._process else None

    async def start(self) -> int:
        """Listen, start the front door; returns the bound port once it serves."""
        self._listener = socket.create_server((self.host, self.port), backlog=1024)
        started: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._supervisor = asyncio.create_task(self._supervise(started), name="front door")
        try:
            await started
        except BaseException:
            await self.stop()
            raise
        return int(self._listener.getsockname()[1])

    async def _supervise(self, started: asyncio.Future[None]) -> None:
        try:
            await self._keep_running(started)
        finally:
            if not started.done():  # stop() came before it served
                started.set_exception(FrontDoorFailed("stopped before it served"))

    async def _keep_running(self, started: asyncio.Future[None]) -> None:
        while not self._stopping:
            try:
                code: int | str | None = await self._run_once(started)
            except OSError as error:  # could not start the process
                code = str(error)
            except Exception as error:  # never leave Slack without a front door
                log.exception("the Slack front door's supervisor failed")
                code = type(error).__name__
            if self._stopping:
                return
            if not started.done():
                reason = f"exit code {code}" if isinstance(code, int) else str(code)
                started.set_exception(FrontDoorFailed(reason))
                return
            log.error("the Slack front door stopped (exit code %s); starting a new one", code)
            await asyncio.sleep(RESTART_DELAY)

    async def _run_once(self, started: asyncio.Future[None]) -> int | None:
        assert self._listener is not None
        ours, theirs = socket.socketpair()
        listen_fd, link_fd = self._listener.fileno(), theirs.fileno()
        try:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.slack.frontdoor",
                f"--listen-fd={listen_fd}",
                f"--link-fd={link_fd}",
                pass_fds=(listen_fd, link_fd),
                # It faces the internet: none of the bot's tokens or URLs in its environment.
                env=_front_door_environment(),
                # Its own process group: a terminal's Ctrl-C reaches the bot, which stops the
                # front door in order. (Not its own session: with the kernel's autogroups a
                # new session is scheduled as a group of its own, and the front door was left
                # waiting up to 0.8 s for the CPU behind the bot's work.)
                process_group=0,
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        if self._stopping:  # stop() came while it was starting
            self._process.send_signal(signal.SIGTERM)
        reader, writer = await asyncio.open_unix_connection(sock=ours)
        try:
            writer.write(encode({"signing_secret": self._secret}))
            if await read_frame(reader) is not None:  # hello: it serves
                if not started.done():
                    started.set_result(None)
                await self._serve_link(reader, writer)
        except (LinkError, ConnectionError) as error:
            log.error("the link to the Slack front door broke: %s", error)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
        return await self._process.wait()

    async def _serve_link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (frame := await read_frame(reader)) is not None:
            task = asyncio.create_task(self._handle(*frame, writer))
            self._handling.add(task)
            task.add_done_callback(self._handling.discard)

    async def _handle(
        self, meta: dict[str, Any], body: bytes, writer: asyncio.StreamWriter
    ) -> None:
        if meta.get("health"):  # /healthz: answering at all is the answer
            status, headers, answer = 200, {}, ""
        else:
            try:
                request = AsyncBoltRequest(body=body.decode(), headers=meta.get("headers", {}))
                response = await self.app.async_dispatch(request)
                status, headers, answer = response.status, response.first_headers(), response.body
            except Exception:
                log.exception("a Slack request failed in the bot")
                status, headers, answer = 500, {}, ""
        if meta.get("answer") and not writer.is_closing():
            writer.write(
                encode(
                    {"id": meta.get("id"), "status": status, "headers": headers}, answer.encode()
                )
            )

    async def stop(self) -> None:
        """Stop taking requests (the front door answers what it has read), then finish them."""
        self._stopping = True
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        if self._supervisor is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._supervisor), STOP_TIMEOUT)
            except TimeoutError:
                log.error("the Slack front door did not stop; killing it")
                process = self._process
                if process is not None and process.returncode is None:
                    process.kill()
                await self._supervisor
            self._supervisor = None
        if self._handling:
            await asyncio.gather(*self._handling, return_exceptions=True)
        if self._listener is not None:
            self._listener.close()
            self._listener = None


# What the front door needs to find Python, its packages and the locale; nothing else.
_PASSED_ON = ("PATH", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "LANG", "LC_ALL", "TZ", "HOME")


def _front_door_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name in _PASSED_ON}
