"""Where the console writes: rendered messages, and the buttons on screen by number."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from bot.console.text import Button, render_message


@dataclass(frozen=True)
class Pressable:
    """A button on screen and where it was shown (what a press reports to its handler)."""

    button: Button
    channel: str
    message_ts: str | None = None
    view_id: str | None = None


class Screen:
    """Prints messages and remembers their buttons until the user types the next thing.

    Buttons shown since the last input are numbered 1, 2, 3… across messages, so a job
    card posted in the background never renumbers the pager the user is looking at.
    """

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._buttons: dict[int, Pressable] = {}

    @property
    def out(self) -> TextIO:
        """The stream written to (stdout unless given, looked up late so capture works)."""
        return self._out or sys.stdout

    def write(self, text: str = "") -> None:
        """Print one or more lines at once."""
        self.out.write(text + "\n")
        self.out.flush()

    def show(
        self,
        text: str,
        blocks: Sequence[dict[str, Any]] | None,
        *,
        channel: str,
        message_ts: str | None = None,
        view_id: str | None = None,
        note: str | None = None,
    ) -> tuple[Button, ...]:
        """Print a message (its blocks as text) and make its buttons pressable."""
        rendered = render_message(text, blocks, first_number=len(self._buttons) + 1)
        for button in rendered.buttons:
            self._buttons[button.number] = Pressable(button, channel, message_ts, view_id)
        lines = [note] if note else []
        lines.append(rendered.text)
        self.write("\n".join(lines) + "\n")
        return rendered.buttons

    def pressable(self, number: int) -> Pressable | None:
        """The button shown as ``[number]``, if it is still on screen."""
        return self._buttons.get(number)

    def forget_buttons(self) -> None:
        """Start numbering from 1 again (the user typed something new)."""
        self._buttons.clear()
