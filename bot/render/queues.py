"""Inbound queues as Block Kit: the list, one queue in words, before → after, the edit modal."""

from __future__ import annotations

from typing import Any, TypeVar

from bot.hygiene import shown
from bot.messages import Messages
from bot.providers.alohub_enums import QueueStrategy
from bot.providers.pagination import Page
from bot.render.blocks import (
    Block,
    actions,
    button,
    context,
    divider,
    header,
    modal,
    option,
    section,
    select_input,
    text_input,
)
from bot.render.inputs import QueueFacts
from bot.render.pager import page_footer, past_the_end

Q = TypeVar("Q", bound=QueueFacts)
STRATEGY_CODES = tuple(int(strategy) for strategy in QueueStrategy)


def strategy_words(msg: Messages, strategy: int | None) -> str:
    """The queue type in words."""
    if strategy is None:
        return msg("queue.not_set")
    if strategy in STRATEGY_CODES:
        return msg(f"queue.strategy.{int(strategy)}")
    return msg("queue.strategy.unknown", code=strategy)


def announce_words(msg: Messages, value: Any) -> str:
    """Announce position in words."""
    if value is None or value == "":
        return msg("queue.not_set")
    return msg("queue.on") if str(value) == "1" else msg("queue.off")


def wait_words(msg: Messages, value: Any) -> str:
    """The maximum wait in words."""
    if value is None or value == "":
        return msg("queue.not_set")
    text = str(value)
    if text.isdigit() and int(text) >= 60:
        minutes, seconds = divmod(int(text), 60)
        return msg("queue.wait_minutes", seconds=text, minutes=minutes, rest=seconds)
    return msg("queue.wait_seconds", seconds=text)


def selector_words(msg: Messages, value: Any) -> str:
    """How the queue picks an agent, in words (the raw name kept for the dashboard)."""
    if value is None or value == "":
        return msg("queue.not_set")
    key = f"queue.selector.{str(value).strip().lower()}"
    return msg(key) if msg.has(key) else msg("queue.selector.unknown", value=value)


def queue_facts(msg: Messages, queue: QueueFacts) -> dict[str, str]:
    """Each field of a queue as (label → words), in display order."""
    return {
        msg("queue.field.strategy"): strategy_words(msg, queue.strategy),
        msg("queue.field.wait"): wait_words(msg, queue.time_wait),
        # Provider text placed outside a catalog sentence: made inert here.
        msg("queue.field.moh"): shown(queue.music_in_queue)
        if queue.music_in_queue
        else msg("queue.none"),
        msg("queue.field.announce"): announce_words(msg, queue.announce_position),
        msg("queue.field.agent_selector"): selector_words(msg, queue.agent_selector),
        msg("queue.field.number"): shown(queue.callin_number)
        if queue.callin_number
        else msg("queue.none"),
    }


def queue_list(msg: Messages, connection: str, page: Page[Q]) -> list[Block]:
    """One page of queues with pager buttons."""
    blocks: list[Block] = [header(msg("queue.list.title", connection=connection))]
    if (beyond := past_the_end(msg, "/queue", "list", page, connection)) is not None:
        return [*blocks, *beyond]
    if not page.items:
        blocks.append(section(msg("queue.list.empty")))
        return blocks
    for queue in page.items:
        blocks.append(
            section(
                msg(
                    "queue.list.row",
                    name=queue.callin_name or "—",
                    id=queue.callin_id,
                    strategy=strategy_words(msg, queue.strategy),
                    wait=wait_words(msg, queue.time_wait),
                    number=queue.callin_number or msg("queue.none"),
                )
            )
        )
    blocks.extend(page_footer(msg, "/queue", "list", page, connection))
    blocks.append(context(msg("queue.list.hint")))
    return blocks


def queue_card(msg: Messages, connection: str, queue: QueueFacts) -> list[Block]:
    """One queue, every field explained in words."""
    facts = queue_facts(msg, queue)
    return [
        header(msg("queue.show.title", name=queue.callin_name or queue.callin_id)),
        section(
            msg("queue.show.intro", id=queue.callin_id, connection=connection),
            fields=[f"*{label}*\n{value}" for label, value in facts.items()],
        ),
        context(msg("queue.show.hint", id=queue.callin_id)),
    ]


def queue_change(msg: Messages, queue_before: QueueFacts, queue_after: QueueFacts) -> list[Block]:
    """Before → after for the fields that changed (all fields when nothing visibly changed)."""
    before, after = queue_facts(msg, queue_before), queue_facts(msg, queue_after)
    changed = [label for label in before if before[label] != after[label]]
    lines = [f"*{label}*: {before[label]} → *{after[label]}*" for label in changed]
    title = msg("queue.set.done", name=queue_after.callin_name or queue_after.callin_id)
    blocks: list[Block] = [section(title)]
    blocks.append(section("\n".join(lines) if lines else msg("queue.set.unchanged")))
    return [*blocks, divider()]


def queue_edit_modal(msg: Messages, connection: str, channel: str, queue: QueueFacts) -> Block:
    """The *Edit queue* modal with dropdowns, filled with the current values.

    Every field may stay as it is: a dropdown with nothing chosen (the queue has no value
    for it yet) changes nothing, so an admin can change the wait alone."""
    strategies = [option(strategy_words(msg, code), str(code)) for code in STRATEGY_CODES]
    switches = [option(msg("queue.on"), "1"), option(msg("queue.off"), "0")]
    announce = str(queue.announce_position) if queue.announce_position is not None else None
    return modal(
        "queue_edit",
        msg("queue.edit.title"),
        [
            section(msg("queue.edit.intro", name=queue.callin_name or "—", id=queue.callin_id)),
            select_input(
                "strategy",
                msg("queue.field.strategy"),
                strategies,
                initial=str(queue.strategy) if queue.strategy is not None else None,
                optional=True,
            ),
            text_input(
                "wait",
                msg("queue.edit.wait_label"),
                initial=queue.time_wait or None,
                optional=True,
                hint=msg("queue.edit.wait_hint"),
            ),
            text_input("moh", msg("queue.field.moh"), initial=queue.music_in_queue, optional=True),
            select_input(
                "announce", msg("queue.field.announce"), switches, initial=announce, optional=True
            ),
        ],
        submit=msg("modal.save"),
        close=msg("modal.cancel"),
        private_metadata={
            "connection": connection,
            "callinId": queue.callin_id,
            "channel": channel,
        },
    )


def queue_change_proposal(
    msg: Messages,
    connection: str,
    before: QueueFacts,
    after: QueueFacts,
    reasons: list[str],
    value: dict[str, Any],
) -> list[Block]:
    """Before → after of a change not yet made, what it means for callers, Apply / Keep."""
    was, will = queue_facts(msg, before), queue_facts(msg, after)
    lines = [
        f"*{label}*: {was[label]} → *{will[label]}*" for label in was if was[label] != will[label]
    ]
    number = before.callin_number or msg("queue.confirm.this_queue")
    meanings = []
    if "strategy" in reasons:
        meanings.append(msg(f"queue.meaning.strategy.{after.strategy}", number=number))
    if "wait" in reasons:
        meanings.append(
            msg("queue.meaning.wait", number=number, wait=wait_words(msg, after.time_wait))
        )
    name = before.callin_name or before.callin_id
    return [
        section(msg("queue.confirm.title", name=name, id=before.callin_id, connection=connection)),
        section("\n".join(lines)),
        section("\n".join(f"⚠️ {meaning}" for meaning in meanings)),
        actions(
            button(msg("queue.confirm.apply"), "queue_set_confirm", value, style="danger"),
            button(msg("queue.confirm.keep"), "queue_set_cancel", value),
        ),
    ]
