"""Block Kit building blocks, kept within Slack's limits.

Limits: 40,000 characters a message's text, 50 blocks a message, 100 a modal or Home tab,
3000 characters a section (or any) text object, 2000 a section field (10 fields at most),
10 elements a context, 150 a header, 75 characters a button label, 2000 a button value.
Sources: https://api.slack.com/changelog/2018-04-truncating-really-long-messages (40,000),
https://api.slack.com/reference/block-kit/blocks (blocks, section, context, header),
https://api.slack.com/reference/block-kit/composition-objects#text (3000).
Long content is paged by the callers; these helpers clip only as the last guard, and say
so with an ellipsis.
"""

from __future__ import annotations

import json
import re
from typing import Any

Block = dict[str, Any]

MESSAGE_TEXT = 40_000
MESSAGE_BLOCKS = 50
MODAL_BLOCKS = 100
TEXT_LIMIT = 3000
FIELD_LIMIT = 2000
BUTTON_TEXT = 75
VALUE_LIMIT = 2000
PLAIN_LIMIT = 150  # header, option and modal title texts


# Slack's own markup: user, channel and special mentions, and links. Any other "<" or "&"
# is text and must be escaped, or Slack reads "`/queue show <callinId>`" as a link.
_SLACK_MARKUP = re.compile(r"<(?:[@#!][^<>\s]*|(?:https?|mailto):[^<>\s]*)>")


def escape(text: str) -> str:
    """``text`` as Slack mrkdwn: ``&``, ``<`` and ``>`` escaped except in Slack's own markup."""
    parts, last = [], 0
    for match in _SLACK_MARKUP.finditer(text):
        parts.append(_escape_plain(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_escape_plain(text[last:]))
    return "".join(parts)


_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt);)")


def _escape_plain(text: str) -> str:
    # Text escaped already (``&lt;``) is left as it is, so escaping twice changes nothing.
    return _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with a visible ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message_text(text: str) -> str:
    """A message's top-level ``text``: escaped, and cut to Slack's 40,000 characters."""
    return clip(escape(text), MESSAGE_TEXT)


def mrkdwn(text: str) -> dict[str, str]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": clip(escape(text), TEXT_LIMIT)}


def plain(text: str, limit: int = PLAIN_LIMIT) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def header(text: str) -> Block:
    """A header block."""
    return {"type": "header", "text": plain(text)}


def section(text: str, *, fields: list[str] | None = None, accessory: Block | None = None) -> Block:
    """A section block with optional two-column fields (at most 10) and an accessory."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if fields:
        block["fields"] = [mrkdwn(clip(f, FIELD_LIMIT)) for f in fields[:10]]
    if accessory:
        block["accessory"] = accessory
    return block


def line_sections(lines: list[str], max_blocks: int) -> tuple[list[Block], int]:
    """Pack lines into at most ``max_blocks`` sections of at most 3000 characters each.

    Returns the sections and how many lines they hold, so the caller can say how many
    were left out instead of cutting silently.
    """
    blocks: list[Block] = []
    current: list[str] = []
    size = shown = 0
    for line in lines:
        line = clip(line, TEXT_LIMIT)
        if current and size + len(line) + 1 > TEXT_LIMIT:
            blocks.append(section("\n".join(current)))
            current, size = [], 0
            if len(blocks) == max_blocks:
                return blocks, shown
        current.append(line)
        size += len(line) + 1
        shown += 1
    if current and len(blocks) < max_blocks:
        blocks.append(section("\n".join(current)))
    return blocks, shown


def fields_section(fields: list[str]) -> Block:
    """A section of fields only."""
    return {"type": "section", "fields": [mrkdwn(clip(f, FIELD_LIMIT)) for f in fields[:10]]}


def context(*texts: str) -> Block:
    """Small grey text under a section."""
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:10]]}


def divider() -> Block:
    """A horizontal rule."""
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    value: str | dict[str, Any],
    *,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    """A button; a dict value is sent as JSON."""
    raw = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    element: Block = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT),
        "action_id": action_id,
        "value": clip(raw, VALUE_LIMIT),
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, confirm: str, deny: str) -> Block:
    """A confirmation dialog for a dangerous button."""
    return {
        "title": plain(title, 100),
        "text": mrkdwn(text),
        "confirm": plain(confirm, 30),
        "deny": plain(deny, 30),
        "style": "danger",
    }


def actions(*elements: Block, block_id: str | None = None) -> Block:
    """A row of buttons (at most 25)."""
    block: Block = {"type": "actions", "elements": list(elements[:25])}
    if block_id:
        block["block_id"] = block_id
    return block


def progress_bar(done: int, total: int, width: int = 20) -> str:
    """A text progress bar like ``▓▓▓▓░░░░ 50%``."""
    ratio = 0.0 if total <= 0 else min(1.0, done / total)
    filled = round(ratio * width)
    return "▓" * filled + "░" * (width - filled) + f" {ratio:.0%}"


def fit_message(blocks: list[Block]) -> list[Block]:
    """Blocks of one message: callers page long lists; this only guards Slack's limit."""
    if len(blocks) <= MESSAGE_BLOCKS:
        return blocks
    return [*blocks[: MESSAGE_BLOCKS - 1], context("…")]


def option(text: str, value: str) -> Block:
    """An option of a select or radio group."""
    return {"text": plain(text, 75), "value": clip(value, 150)}


def modal(
    callback_id: str,
    title: str,
    blocks: list[Block],
    *,
    submit: str | None = None,
    close: str | None = None,
    private_metadata: dict[str, Any] | None = None,
) -> Block:
    """A modal view (title at most 24 characters, at most 100 blocks)."""
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "blocks": blocks[:MODAL_BLOCKS],
    }
    if submit:
        view["submit"] = plain(submit, 24)
    if close:
        view["close"] = plain(close, 24)
    if private_metadata is not None:
        view["private_metadata"] = json.dumps(private_metadata, separators=(",", ":"))
    return view


def text_input(
    block_id: str,
    label: str,
    *,
    initial: str | None = None,
    optional: bool = False,
    multiline: bool = False,
    placeholder: str | None = None,
    hint: str | None = None,
    max_length: int | None = None,
) -> Block:
    """An input block with a plain text input whose action_id is ``value``."""
    element: Block = {"type": "plain_text_input", "action_id": "value", "multiline": multiline}
    if max_length:
        element["max_length"] = max_length  # Slack refuses a longer value in the form itself
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = plain(placeholder)
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def select_input(
    block_id: str,
    label: str,
    options: list[Block],
    *,
    initial: str | None = None,
    optional: bool = False,
) -> Block:
    """An input block with a static select whose action_id is ``value``."""
    element: Block = {"type": "static_select", "action_id": "value", "options": options[:100]}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
