"""A program in a real pseudo-terminal, read back as the screen a person would see.

``pexpect`` gives the program a pty (so it sees a terminal, and Ctrl-C is the terminal's
own); ``pyte`` plays the terminal: it draws the program's output into rows and columns
and answers its cursor-position requests, as a terminal emulator does.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

from tests.console.conftest import callops_env

ROWS, COLUMNS = 50, 120


class _Screen(pyte.Screen):  # type: ignore[misc]
    """A pyte screen that sends its answers (cursor position reports) back to the program."""

    def __init__(self, columns: int, lines: int, answer: Callable[[str], object]) -> None:
        super().__init__(columns, lines)
        self._answer = answer

    def write_process_input(self, data: str) -> None:
        self._answer(data)


class Terminal:
    """``python -m bot ARGS`` in a terminal; keys typed in, the screen read out."""

    def __init__(self, *args: str, cwd: Path, module: str = "bot") -> None:
        env = callops_env(TERM="xterm")
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", module, *args],
            cwd=str(cwd),
            env=env,
            dimensions=(ROWS, COLUMNS),
        )
        self.screen = _Screen(COLUMNS, ROWS, self.child.send)
        self.stream = pyte.ByteStream(self.screen)

    def lines(self) -> list[str]:
        """The screen's rows that are not blank, top to bottom."""
        return [row.rstrip() for row in self.screen.display if row.strip()]

    def text(self) -> str:
        """The screen as text."""
        return "\n".join(self.lines())

    def last(self) -> str:
        """The lowest row with something on it (where the cursor's prompt is)."""
        lines = self.lines()
        return lines[-1] if lines else ""

    def pump(self, timeout: float = 0.1) -> bool:
        """Read what the program wrote in ``timeout`` onto the screen; False once it ended."""
        try:
            self.stream.feed(self.child.read_nonblocking(65536, timeout))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            return False
        return True

    def wait_for(self, check: Callable[[Terminal], bool], what: str, timeout: float = 60) -> None:
        """Read until ``check`` holds for the screen; fail saying ``what`` did not appear."""
        deadline = time.monotonic() + timeout
        while not check(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} did not appear; the screen:\n{self.text()}")
            if not self.pump():
                if check(self):
                    return
                raise AssertionError(f"the program ended before {what}; the screen:\n{self.text()}")

    def wait_for_text(self, text: str, timeout: float = 60) -> None:
        """Read until ``text`` is on the screen."""
        self.wait_for(lambda t: text in t.text(), repr(text), timeout)

    def wait_for_prompt(self, prompt: str = "callops>", timeout: float = 60) -> None:
        """Read until the lowest row is the prompt, waiting for an answer."""
        self.wait_for(lambda t: t.last().strip() == prompt, f"the prompt {prompt!r}", timeout)

    def type(self, line: str) -> None:
        """Type ``line`` and Enter."""
        self.child.send(line + "\r")

    def ctrl_c(self) -> None:
        """Press Ctrl-C (the terminal's interrupt character)."""
        self.child.sendintr()

    def exit_status(self, timeout: float = 60) -> int | None:
        """Wait for the program to end; its exit status."""
        deadline = time.monotonic() + timeout
        while self.pump():
            if time.monotonic() > deadline:
                raise AssertionError(f"the program did not end; the screen:\n{self.text()}")
        self.child.wait()
        return self.child.exitstatus  # type: ignore[no-any-return]

    def close(self) -> None:
        """End the program if it still runs."""
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close()
