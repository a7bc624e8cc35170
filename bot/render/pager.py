"""Next/Previous buttons that re-run a paged command (``page_next``, ``page_prev``)."""

from __future__ import annotations

from typing import Any

from bot.messages import Messages
from bot.render.blocks import Block, actions, button


def pager_value(command: str, text: str, page: int, connection: str | None) -> dict[str, Any]:
    """The value a pager button carries: the query and the page to show."""
    return {"cmd": command, "text": text, "page": page, "connection": connection}


def pager_row(
    msg: Messages, command: str, text: str, page: int, has_next: bool, connection: str | None
) -> Block | None:
    """A row with Previous and/or Next, or None on a single page."""
    buttons = []
    if page > 0:
        buttons.append(
            button(msg("page.prev"), "page_prev", pager_value(command, text, page - 1, connection))
        )
    if has_next:
        buttons.append(
            button(msg("page.next"), "page_next", pager_value(command, text, page + 1, connection))
        )
    return actions(*buttons, block_id="pager") if buttons else None
