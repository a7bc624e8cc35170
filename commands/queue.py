"""``/queue``: Alohub inbound queues — list, show, set (admin), edit modal (admin)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from bot.args import Args, is_number, page_option
from bot.context import Ctx
from bot.errors import UserInputError
from bot.messages import share
from bot.providers.alohub import AlohubClient, Queue, QueueUpdate
from bot.providers.alohub_enums import QueueStrategy
from bot.providers.capabilities import Capability
from bot.render.queues import (
    queue_card,
    queue_change,
    queue_change_proposal,
    queue_edit_modal,
    queue_list,
)
from bot.replies import CloseModal, Message, OpenModal, Reply
from bot.routing import Role, Router

router = Router()
QUEUES = Capability.QUEUES
PAGE_SIZE = 10

# The words ``strategy=`` takes: the provider enum's names, or its numbers.
STRATEGY_NAMES = {strategy.name.lower(): strategy for strategy in QueueStrategy}
STRATEGY_CODES = {str(int(strategy)): strategy for strategy in QueueStrategy}
share("queue_strategies", "|".join([*STRATEGY_NAMES, *STRATEGY_CODES]))
# seed alohub-inbound-queues.txt: announce_position "0" = tắt thông báo vị trí, "1" = bật
SWITCH = {"on": "1", "off": "0", "1": "1", "0": "0", "bật": "1", "tắt": "0"}
# Queue types that change where real customers' calls go (alohub-inbound-queues.txt:61,
# "3=blacklist, 4=divert, 99=tạm khoá"): set only after an admin has seen what it means.
CONFIRM_STRATEGIES = frozenset(
    {QueueStrategy.BLACKLIST, QueueStrategy.DIVERT, QueueStrategy.SUSPENDED}
)
# The seed puts no upper bound on max_wait_sec (alohub-inbound-queues.txt:169, "Thời gian
# chờ tối đa (string số, đơn vị giây)"), so nothing is refused locally; a wait above ten
# minutes is a likely slip of the keyboard and is confirmed first.
CONFIRM_WAIT_ABOVE = 600


def _alohub(ctx: Ctx) -> AlohubClient:
    return ctx.client_as(AlohubClient, QUEUES.value)


def _callin_id(args: Args) -> str:
    callin_id = args.first()
    # seed alohub-inbound-queues.txt: "callinId": 1001226 (PROVIDERS.md §1: callinId:int)
    if callin_id is None or not is_number(callin_id):
        raise UserInputError("queue.bad_id", value=callin_id or "")
    return callin_id


@router.command(
    "/queue", "", role=Role.OPERATOR, usage="usage.queue.list", capability=QUEUES, options={"page"}
)
@router.command(
    "/queue",
    "list",
    role=Role.OPERATOR,
    usage="usage.queue.list",
    capability=QUEUES,
    options={"page"},
)
async def queue_list_command(ctx: Ctx, args: Args) -> Reply:
    """List the connection's inbound queues, one page at a time."""
    if args.positional:
        raise UserInputError("usage.unexpected", word=args.positional[0])
    return await queue_page(ctx, args, page_option(args))


@router.paged("/queue", "list")
async def queue_page(ctx: Ctx, args: Args, page: int) -> Message:
    """Page ``page`` of the queue list."""
    result = await _alohub(ctx).queues_page(page, PAGE_SIZE)
    blocks = queue_list(ctx.msg, ctx.client.name, result)
    return Message(ctx.msg("queue.list.text", count=result.total or len(result.items)), blocks)


@router.command(
    "/queue", "show", role=Role.OPERATOR, usage="usage.queue.show", capability=QUEUES, min_args=1
)
async def queue_show(ctx: Ctx, args: Args) -> Reply:
    """One queue with its fields explained."""
    queue = await _alohub(ctx).queue(_callin_id(args))
    return Message(
        ctx.msg("queue.show.text", name=queue.callin_name),
        queue_card(ctx.msg, ctx.client.name, queue),
    )


def update_from_options(options: dict[str, str | None]) -> QueueUpdate:
    """A ``QueueUpdate`` from the words a user typed or picked; refuses bad values by name."""
    fields: dict[str, Any] = {}
    strategy = options.get("strategy")
    if strategy:
        code = STRATEGY_NAMES.get(strategy.lower()) or STRATEGY_CODES.get(strategy)
        if code is None:
            raise UserInputError(
                "queue.bad_strategy",
                field="strategy",
                value=strategy,
                names=", ".join(STRATEGY_NAMES),
                codes=", ".join(STRATEGY_CODES),
            )
        fields["strategy"] = int(code)
    wait = options.get("wait")
    if wait:
        # seed alohub-inbound-queues.txt: max_wait_sec "string số, đơn vị giây"
        if not wait.isdigit():
            raise UserInputError("queue.bad_wait", field="wait", value=wait)
        fields["max_wait_sec"] = wait
    moh = options.get("moh")
    if moh:
        fields["moh_file_id"] = moh
    announce = options.get("announce")
    if announce:
        if announce.lower() not in SWITCH:
            raise UserInputError("queue.bad_announce", field="announce", value=announce)
        fields["announce_position"] = SWITCH[announce.lower()]
    if not fields:
        raise UserInputError("queue.nothing_to_set", field="strategy")
    return QueueUpdate(**fields)


def projected(queue: Queue, update: QueueUpdate) -> Queue:
    """The queue as it would be after ``update``."""
    fields = {
        "strategy": update.strategy,
        "time_wait": update.max_wait_sec,
        "music_in_queue": update.moh_file_id,
        "announce_position": update.announce_position,
    }
    return queue.model_copy(update={k: v for k, v in fields.items() if v is not None})


def needs_confirmation(before: Queue, update: QueueUpdate) -> list[str]:
    """What in ``update`` an admin must confirm first: "strategy", "wait", or nothing."""
    reasons = []
    if update.strategy in CONFIRM_STRATEGIES and update.strategy != before.strategy:
        reasons.append("strategy")
    wait = str(update.max_wait_sec or "")
    if wait.isdigit() and int(wait) > CONFIRM_WAIT_ABOVE and wait != before.time_wait:
        reasons.append("wait")
    return reasons


async def apply_update(
    ctx: Ctx, callin_id: str, update: QueueUpdate, before: Queue | None = None
) -> Message:
    """Read (unless ``before`` was just read), update, read again; answer with before → after."""
    client = _alohub(ctx)
    before = before or await client.queue(callin_id)
    await client.update_queue(callin_id, update)
    after = await client.queue(callin_id)
    return Message(
        ctx.msg("queue.set.text", name=after.callin_name), queue_change(ctx.msg, before, after)
    )


async def propose_or_apply(ctx: Ctx, callin_id: str, update: QueueUpdate) -> Message:
    """Apply ``update`` at once, or, when it moves real callers, show it with an Apply button."""
    client = _alohub(ctx)
    before = await client.queue(callin_id)
    reasons = needs_confirmation(before, update)
    if not reasons:
        return await apply_update(ctx, callin_id, update, before)
    value = {
        "connection": client.name,
        "callinId": str(before.callin_id),
        "name": before.callin_name,
        "update": update.model_dump(exclude_none=True),
    }
    blocks = queue_change_proposal(
        ctx.msg, client.name, before, projected(before, update), reasons, value
    )
    return Message(ctx.msg("queue.confirm.text", name=before.callin_name), blocks)


@router.command(
    "/queue",
    "set",
    role=Role.ADMIN,
    usage="usage.queue.set",
    capability=QUEUES,
    options={"strategy", "wait", "moh", "announce"},
    min_args=1,
)
async def queue_set(ctx: Ctx, args: Args) -> Reply:
    """Change a queue's settings and show before → after."""
    callin_id = _callin_id(args)
    update = update_from_options(dict(args.options))
    return await propose_or_apply(ctx, callin_id, update)


@router.action("queue_set_confirm", role=Role.ADMIN, capability=QUEUES)
async def queue_set_confirm(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """The admin saw what the change means for callers: apply it now."""
    # The value comes back as the client sent it: an update the bot did not propose (not an
    # object, unknown fields) is a stale button, not a failure.
    fields = payload.get("update") or {}
    try:
        update = QueueUpdate.model_validate(fields)
    except ValidationError:
        return Message(ctx.msg("error.unknown_action"), replace_original=True)
    message = await apply_update(ctx, str(payload.get("callinId", "")), update)
    return Message(message.text, message.blocks, replace_original=True)


@router.action("queue_set_cancel", role=Role.OPERATOR)
async def queue_set_cancel(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Leave the queue as it is; the provider is not called."""
    text = ctx.msg(
        "queue.confirm.cancelled", name=payload.get("name") or "—", id=payload.get("callinId")
    )
    return Message(text, replace_original=True)


@router.command(
    "/queue", "edit", role=Role.ADMIN, usage="usage.queue.edit", capability=QUEUES, min_args=1
)
async def queue_edit(ctx: Ctx, args: Args) -> Reply:
    """Open the *Edit queue* modal filled with the queue's current values."""
    queue = await _alohub(ctx).queue(_callin_id(args))
    return OpenModal(queue_edit_modal(ctx.msg, ctx.client.name, ctx.channel_id, queue))


@router.view("queue_edit", role=Role.ADMIN, capability=QUEUES)
async def queue_edit_submit(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    """Validate the modal at once; after closing it update the queue (or ask first), report."""
    values = payload.get("values") or {}
    update = update_from_options(
        {key: values.get(key) for key in ("strategy", "wait", "moh", "announce")}
    )
    callin_id = str(payload.get("callinId", ""))

    async def work() -> Message:
        return await propose_or_apply(ctx, callin_id, update)

    ctx.after_reply(work, name=f"queue_edit {callin_id}")
    return CloseModal()
