"""A modal's input blocks asked as questions, one per block; answers shaped like Slack's.

The values returned are what ``bot.slack.app`` reads from a view submission's state: the
text typed, the selected option's value, a list of values for multi-selects, or a list
of file objects for a ``file_input``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.console.prompt import Ask, Interrupted
from bot.console.screen import Screen
from bot.console.text import options_of, text_of
from bot.messages import Messages

Block = dict[str, Any]

CANCEL_WORDS = frozenset({"cancel", "huỷ", "hủy"})
CLEAR = "-"
SELECTS = frozenset({"static_select", "radio_buttons", "external_select"})
MULTI_SELECTS = frozenset({"checkboxes", "multi_static_select", "multi_external_select"})
INITIAL_KEYS = ("initial_value", "initial_date", "initial_time", "initial_date_time")


class Cancelled(Exception):
    """The user typed ``cancel``, pressed Ctrl-C or the input ended: close, send nothing.

    Outside ``bot.errors``: the console's control flow, not a failure anyone is told of.
    """


def input_blocks(view: Block) -> list[Block]:
    """The input blocks of a view, in order."""
    return [b for b in view.get("blocks") or [] if b.get("type") == "input" and b.get("element")]


class Form:
    """Asks the questions of a modal and returns ``{block_id: value}``."""

    def __init__(
        self,
        ask: Ask,
        screen: Screen,
        msg: Messages,
        share_file: Callable[[Path], dict[str, Any]],
    ) -> None:
        self.ask = ask
        self.screen = screen
        self.msg = msg
        self.share_file = share_file

    async def fill(
        self, blocks: list[Block], previous: dict[str, Any], only: set[str] | None = None
    ) -> dict[str, Any]:
        """Ask every block (or only those in ``only``); raises ``Cancelled``."""
        values: dict[str, Any] = {}
        for block in blocks:
            block_id = str(block.get("block_id") or "")
            if only is not None and block_id not in only:
                continue
            values[block_id] = await self.question(block, previous.get(block_id))
        return values

    async def question(self, block: Block, previous: Any = None) -> Any:
        """One input block's answer."""
        element: Block = block["element"]
        kind = element.get("type")
        label = text_of(block.get("label"))
        optional = bool(block.get("optional"))
        hint = text_of(block.get("hint"))
        if hint:
            self.screen.write(f"  {hint}")
        if kind in SELECTS or kind in MULTI_SELECTS:
            return await self._choose(
                label, element, optional, previous, many=kind in MULTI_SELECTS
            )
        if kind == "file_input":
            return await self._file(label, optional)
        default = previous if previous is not None else _initial(element)
        multiline = bool(element.get("multiline"))
        return await self._text(label, optional, default, multiline)

    async def _line(self, prompt: str) -> str:
        try:
            answer = await self.ask(prompt)
        except Interrupted:
            raise Cancelled from None
        if answer is None or answer.strip().lower() in CANCEL_WORDS:
            raise Cancelled
        return answer

    def _prompt(self, label: str, optional: bool, default: str | None, extra: str = "") -> str:
        opt = self.msg("console.modal.optional") if optional else ""
        shown = f" [{default}]" if default not in (None, "") else ""
        return f"{label}{extra}{opt}{shown}: "

    async def _text(self, label: str, optional: bool, default: Any, multiline: bool) -> Any:
        extra = " " + self.msg("console.modal.multiline") if multiline else ""
        shown = str(default).replace("\n", " ⏎ ") if default not in (None, "") else None
        while True:
            answer = await self._line(self._prompt(label, optional, shown, extra))
            if multiline and answer.strip() not in ("", CLEAR):
                lines = [answer]
                while (more := await self._line("… ")) != "":
                    lines.append(more)
                return "\n".join(lines)
            value = default if answer == "" else None if answer.strip() == CLEAR else answer
            if value in (None, "") and not optional:
                self.screen.write(self.msg("console.modal.required"))
                continue
            return value if value != "" else None

    async def _choose(
        self, label: str, element: Block, optional: bool, previous: Any, *, many: bool
    ) -> Any:
        options = options_of(element)
        texts = [text_of(o.get("text")) for o in options]
        values = [str(o.get("value")) for o in options]
        default = _initial_choice(element, previous, many)
        shown = ", ".join(texts[values.index(v)] for v in default if v in values) or None
        for number, text in enumerate(texts, 1):
            self.screen.write(f"  {number}) {text}")
        while True:
            answer = (await self._line(self._prompt(label, optional, shown))).strip()
            if answer == "":
                picked: list[str] | None = default
            elif answer == CLEAR:
                picked = []
            else:
                picked = _pick(answer, texts, values, many)
            if picked is None:
                key = "console.modal.pick_many" if many else "console.modal.pick"
                self.screen.write(self.msg(key, count=len(options)))
                continue
            if not picked and not optional:
                self.screen.write(self.msg("console.modal.required"))
                continue
            if many:
                return picked
            return picked[0] if picked else None

    async def _file(self, label: str, optional: bool) -> list[dict[str, Any]]:
        extra = f" ({self.msg('console.modal.file')})"
        while True:
            answer = (await self._line(self._prompt(label, optional, None, extra))).strip()
            if answer in ("", CLEAR):
                if optional:
                    return []
                self.screen.write(self.msg("console.modal.required"))
                continue
            path = _local_file(answer)
            if path is None:
                self.screen.write(self.msg("console.modal.no_file", path=answer))
                continue
            return [self.share_file(path)]


def _local_file(answer: str) -> Path | None:
    """The file a typed path names (quotes and ~ allowed), or None."""
    path = Path(answer.strip("'\"")).expanduser()
    return path if path.is_file() else None


def _initial(element: Block) -> Any:
    for key in INITIAL_KEYS:
        if element.get(key) not in (None, ""):
            return element[key]
    return None


def _initial_choice(element: Block, previous: Any, many: bool) -> list[str]:
    if previous is not None:
        return [str(v) for v in previous] if isinstance(previous, list) else [str(previous)]
    if many:
        return [str(o.get("value")) for o in element.get("initial_options") or []]
    chosen = element.get("initial_option")
    return [str(chosen.get("value"))] if isinstance(chosen, dict) else []


def _pick(answer: str, texts: list[str], values: list[str], many: bool) -> list[str] | None:
    """Numbers (1-based), option texts or values → option values; None when one is unknown."""
    words = [w.strip() for w in answer.split(",")] if many else [answer]
    picked = []
    for word in words:
        if word.isdigit() and 1 <= int(word) <= len(values):
            picked.append(values[int(word) - 1])
            continue
        lowered = word.casefold()
        match = next(
            (
                v
                for t, v in zip(texts, values, strict=True)
                if lowered in (t.casefold(), v.casefold())
            ),
            None,
        )
        if match is None:
            return None
        picked.append(match)
    return picked
