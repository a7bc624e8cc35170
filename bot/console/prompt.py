"""Where the console's answers come from: a person at a terminal, a pipe, or a test's script.

An ``Ask`` takes the prompt and returns the line typed, ``None`` at the end of input, or
raises ``Interrupted`` when the person pressed Ctrl-C instead of answering.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from bot.console.screen import Screen

Ask = Callable[[str], Awaitable[str | None]]
CTRL_C = "\x03"  # what a scripted answer types to press Ctrl-C


class Interrupted(Exception):
    """Ctrl-C at a prompt: the question is abandoned, the console goes on.

    Outside ``bot.errors``: the console's control flow, not a failure anyone is told of.
    """


class TerminalAsk:
    """A person at a terminal: prompt_toolkit edits the line, keeps history, reads Ctrl-C.

    Inside ``printing_above()`` whatever the console prints while a prompt waits (a job's
    progress, a message background work posts) appears above the prompt, which is drawn
    again below it with what was typed so far, instead of landing in the middle of it.
    """

    def __init__(self) -> None:
        # Imported here: ``bot.console`` is also loaded by ``callops check`` for its text.
        from prompt_toolkit import PromptSession

        self._session: Any = PromptSession()

    async def __call__(self, prompt: str) -> str | None:
        try:
            line: str = await self._session.prompt_async(prompt)
        except KeyboardInterrupt:
            raise Interrupted from None
        except EOFError:
            return None  # Ctrl-D
        return line

    @contextmanager
    def printing_above(self) -> Iterator[None]:
        """Route stdout and stderr above the prompt while the console runs."""
        from prompt_toolkit.patch_stdout import patch_stdout

        with patch_stdout():
            yield


class StdinAsk:
    """Reads piped stdin without blocking the event loop, so background work keeps printing.

    Each line is echoed after the prompt so the output reads like the session it replays.
    Each read runs in a daemon thread: a read still waiting when the console quits must
    not keep the process alive.
    """

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    async def __call__(self, prompt: str) -> str | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def deliver(line: str | None) -> None:
            if not future.done():
                future.set_result(line)

        def read() -> None:
            line: str | None
            try:
                raw = sys.stdin.readline()
                line = raw.rstrip("\r\n") if raw else None
            except (OSError, ValueError):
                line = None
            loop.call_soon_threadsafe(deliver, line)

        threading.Thread(target=read, name="console-input", daemon=True).start()
        line = await future
        if line is not None:
            self.screen.write(prompt + line)
        return line


class ScriptedAsk:
    """Answers from a list, echoed like a piped session (tests, demos); ``CTRL_C`` presses it."""

    def __init__(self, lines: Iterable[str], screen: Screen) -> None:
        self._lines = iter(lines)
        self.screen = screen

    async def __call__(self, prompt: str) -> str | None:
        line = next(self._lines, None)
        if line == CTRL_C:
            self.screen.write(prompt + "^C")
            raise Interrupted
        if line is not None:
            self.screen.write(prompt + line)
        return line

    def feed(self, lines: Iterable[str]) -> None:
        """Answer with ``lines`` from now on."""
        self._lines = iter(lines)
