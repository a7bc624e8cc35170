"""Next/Previous buttons that re-run a paged command (``page_next``, ``page_prev``)."""

from __future__ import annotations

from typing import Any

from bot.messages import Messages
from bot.providers.pagination import Page
from bot.render.blocks import Block, actions, button, context, section
from bot.render.formats import number


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


def page_footer(
    msg: Messages, command: str, text: str, page: Page[Any], connection: str | None
) -> list[Block]:
    """ "Page 2 of 5 · 48 in all" and the Previous/Next buttons that re-run ``command text``."""
    total = page.total if page.total is not None else len(page.items)
    blocks = [
        context(
            msg(
                "page.position",
                page=number(msg, page.index + 1),
                pages=number(msg, page.pages) if page.pages else "?",
                total=number(msg, total),
            )
        )
    ]
    row = pager_row(msg, command, text, page.index, page.has_next, connection)
    return [*blocks, row] if row else blocks


def past_the_end(
    msg: Messages, command: str, text: str, page: Page[Any], connection: str | None
) -> list[Block] | None:
    """For an empty page after the first: where the pages end, and a button back.

    ``None`` when the page has items or is the first (then "nothing found" is the truth)."""
    if page.items or page.index == 0:
        return None
    last = (page.pages or 1) - 1
    if page.total is not None:
        sentence = msg(
            "page.past_end",
            page=number(msg, page.index + 1),
            pages=number(msg, page.pages or 0),
            total=number(msg, page.total),
        )
        label = msg("page.last")
    else:
        sentence = msg("page.past_end_unknown", page=page.index + 1)
        label, last = msg("page.first"), 0
    back = button(label, "page_prev", pager_value(command, text, last, connection))
    return [section(sentence), actions(back, block_id="pager")]
