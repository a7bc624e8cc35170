"""The campaign-finished post: contacts processed and how their calls ended."""

from __future__ import annotations

from bot.messages import Messages
from bot.render.blocks import Block, context, fields_section, header, section
from bot.render.calls import outcome_words
from bot.render.formats import number
from bot.stats import ListProgress


def finished_text(msg: Messages, campaign: str, totals: ListProgress) -> str:
    """The notification text."""
    return msg("finished.text", campaign=campaign, processed=number(msg, totals.processed))


def finished_blocks(
    msg: Messages, *, campaign: str, connection: str, totals: ListProgress
) -> list[Block]:
    """Title, source, processed total, call-status counts (commonest first), next step."""
    statuses = sorted(totals.call_statuses.items(), key=lambda item: (-item[1], item[0]))
    figures = [f"*{msg('finished.processed')}*\n{number(msg, totals.processed)}"]
    figures += [f"*{outcome_words(msg, name)}*\n{number(msg, count)}" for name, count in statuses]
    without = totals.processed - sum(totals.call_statuses.values())
    if without > 0:
        figures.append(f"*{msg('finished.no_call_status')}*\n{number(msg, without)}")
    blocks: list[Block] = [
        header(msg("finished.title", campaign=campaign)),
        section(
            msg("finished.lead", connection=connection, processed=number(msg, totals.processed))
        ),
    ]
    # A fields section holds at most 10 fields.
    for start in range(0, min(len(figures), 40), 10):
        blocks.append(fields_section(figures[start : start + 10]))
    blocks.append(context(msg("finished.next", campaign=campaign)))
    return blocks
