"""Block Kit as plain terminal text: mrkdwn unwrapped, mentions readable, buttons numbered.

Pure functions: blocks in, text and the list of buttons out. The numbers printed next to
buttons start at ``first_number`` so that a screen can keep numbering across messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Block = dict[str, Any]

RULE = "─" * 40

_LINK = re.compile(r"<([^<>|\n]+)(?:\|([^<>\n]*))?>")
_CODE_BLOCK = re.compile(r"```\n?(.*?)\n?```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
# Slack only formats a marker that opens after a non-word character and closes before one.
_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])")


@dataclass(frozen=True)
class Button:
    """A pressable element found in the blocks, with the raw element for its payload."""

    number: int
    label: str
    action_id: str
    element: Block = field(repr=False)

    @property
    def confirm(self) -> Block | None:
        """The confirmation dialog Slack would show before pressing, if any."""
        confirm = self.element.get("confirm")
        return confirm if isinstance(confirm, dict) else None


@dataclass(frozen=True)
class Rendered:
    """Text lines of a message and the buttons numbered in it."""

    text: str
    buttons: tuple[Button, ...] = ()


def mrkdwn_to_plain(text: str) -> str:
    """Slack mrkdwn as plain text: ``*bold*`` → bold, ``<@U1>`` → @U1, ``<#C1>`` → #C1."""
    text = _LINK.sub(_link, text)
    text = _CODE_BLOCK.sub(lambda m: m.group(1), text)
    text = _CODE.sub(lambda m: m.group(1), text)
    for pattern in (_BOLD, _ITALIC, _STRIKE):
        text = pattern.sub(lambda m: m.group(1), text)
    # Slack escapes only these three; unescape last so "&lt;" never becomes a link.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _link(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith(("@", "#")):
        return target[0] + (label or target[1:])
    if target.startswith("!"):
        special = target[1:]
        if label:
            return label
        return special if special.startswith("date^") else "@" + special.split("^")[0]
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    if ":" not in target:
        # Not a link Slack knows (no scheme): a placeholder like <callinId>, shown as typed.
        return match.group(0)
    return f"{label} ({target})" if label and label != target else target


def text_of(obj: Any) -> str:
    """A text object (plain_text or mrkdwn) as plain text; anything else as ""."""
    if not isinstance(obj, dict):
        return ""
    raw = str(obj.get("text") or "")
    return mrkdwn_to_plain(raw) if obj.get("type") == "mrkdwn" else raw


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (combining accents take none, wide glyphs two)."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def render_blocks(blocks: Sequence[Block], first_number: int = 1) -> Rendered:
    """Every block as text lines; buttons become ``[n] label`` numbered from ``first_number``."""
    lines: list[str] = []
    buttons: list[Button] = []

    def number(element: Block) -> str:
        button = Button(
            first_number + len(buttons),
            text_of(element.get("text")),
            str(element.get("action_id") or ""),
            element,
        )
        buttons.append(button)
        return f"[{button.number}] {button.label}"

    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = text_of(block.get("text"))
            if lines:
                lines.append("")
            lines += [title, "─" * max(3, min(width(title), 72))]
        elif kind == "section":
            lines += _section(block, number)
        elif kind == "context":
            parts = [_element_text(e) for e in block.get("elements") or []]
            lines.append("  " + " · ".join(p for p in parts if p))
        elif kind == "divider":
            lines.append(RULE)
        elif kind == "actions":
            shown = [_control(e, number) for e in block.get("elements") or []]
            lines.append("  ".join(s for s in shown if s))
        elif kind == "image":
            lines.append(f"[{block.get('alt_text') or 'image'}]")
        elif kind == "input":
            lines.append(f"{text_of(block.get('label'))}: …")
        elif kind == "rich_text":
            lines.append("".join(_rich_text(block)).rstrip("\n"))
    return Rendered("\n".join(lines), tuple(buttons))


def render_message(text: str, blocks: Sequence[Block] | None, first_number: int = 1) -> Rendered:
    """A message: its blocks when it has any, else its notification text."""
    if blocks:
        return render_blocks(blocks, first_number)
    return Rendered(mrkdwn_to_plain(text))


def _section(block: Block, number: Any) -> list[str]:
    lines = []
    if block.get("text"):
        lines.append(text_of(block["text"]))
    for item in block.get("fields") or []:
        label, _, value = text_of(item).partition("\n")
        # "*Label*\nvalue" is how our renderers write a field: show it on one line.
        lines.append(f"  {label}: {value.replace(chr(10), ' · ')}" if value else f"  {label}")
    accessory = block.get("accessory")
    if isinstance(accessory, dict):
        shown = _control(accessory, number)
        if shown:
            lines.append("  " + shown)
    return lines


def _control(element: Block, number: Any) -> str:
    kind = element.get("type")
    if kind == "button":
        return str(number(element))
    if kind in ("static_select", "overflow", "radio_buttons", "checkboxes"):
        options = [text_of(o.get("text")) for o in options_of(element)]
        placeholder = text_of(element.get("placeholder"))
        return (
            f"({placeholder}: {' / '.join(options)})" if placeholder else f"({' / '.join(options)})"
        )
    return ""


def _element_text(element: Block) -> str:
    if element.get("type") == "image":
        return f"[{element.get('alt_text') or 'image'}]"
    return text_of(element)


def options_of(element: Block) -> list[Block]:
    """The options of a select, radio group or checkboxes (option groups flattened)."""
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    return options


def _rich_text(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        kind = node.get("type")
        if kind == "text":
            yield str(node.get("text") or "")
        elif kind == "user":
            yield "@" + str(node.get("user_id") or "")
        elif kind == "channel":
            yield "#" + str(node.get("channel_id") or "")
        elif kind == "link":
            yield str(node.get("text") or node.get("url") or "")
        elif kind == "emoji":
            yield f":{node.get('name', '')}:"
        for child in node.get("elements") or []:
            yield from _rich_text(child)
        if kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
            yield "\n"
