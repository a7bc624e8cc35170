"""Where the console's answers come from: the terminal, a pipe, or a test's script.

An ``Ask`` takes the prompt and returns the line typed, or ``None`` at the end of input.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable

from bot.console.screen import Screen

Ask = Callable[[str], Awaitable[str | None]]


class StdinAsk:
    """Reads stdin without blocking the event loop, so background work keeps printing.

    A terminal gets ``input()`` with the prompt; a pipe is echoed after the prompt so the
    output reads like the session it replays. Each read runs in a daemon thread: a read
    still waiting when the console quits must not keep the process alive.
    """

    def __init__(self, screen: Screen, *, interactive: bool) -> None:
        self.screen = screen
        self.interactive = interactive
        if interactive:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401  (line editing and history for input())

    async def __call__(self, prompt: str) -> str | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def deliver(line: str | None) -> None:
            if not future.done():
                future.set_result(line)

        def read() -> None:
            line: str | None
            try:
                if self.interactive:
                    line = input(prompt)
                else:
                    raw = sys.stdin.readline()
                    line = raw.rstrip("\r\n") if raw else None
            except (EOFError, KeyboardInterrupt, OSError, ValueError):
                line = None
            loop.call_soon_threadsafe(deliver, line)

        threading.Thread(target=read, name="console-input", daemon=True).start()
        line = await future
        if not self.interactive and line is not None:
            self.screen.write(prompt + line)
        elif self.interactive and line is None:
            self.screen.write()  # Ctrl-D leaves the cursor after the prompt
        return line


class ScriptedAsk:
    """Answers from a list, echoed like a piped session (tests, demos)."""

    def __init__(self, lines: Iterable[str], screen: Screen) -> None:
        self._lines = iter(lines)
        self.screen = screen

    async def __call__(self, prompt: str) -> str | None:
        line = next(self._lines, None)
        if line is not None:
            self.screen.write(prompt + line)
        return line

    def feed(self, lines: Iterable[str]) -> None:
        """Answer with ``lines`` from now on."""
        self._lines = iter(lines)
