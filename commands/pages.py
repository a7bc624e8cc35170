"""Paged commands, and the ``page_next``/``page_prev`` buttons that re-run them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.args import Args, parse_args
from bot.context import Ctx
from bot.errors import UserInputError
from bot.replies import Message, Reply
from bot.routing import Role, Router

router = Router()

PageFn = Callable[[Ctx, Args, int], Awaitable[Message]]
_PAGED: dict[tuple[str, str], PageFn] = {}


def paged(command: str, sub: str) -> Callable[[PageFn], PageFn]:
    """Register the function that renders page N of ``command sub``."""

    def register(fn: PageFn) -> PageFn:
        _PAGED[(command, sub)] = fn
        return fn

    return register


def page_option(args: Args) -> int:
    """The 0-based page from ``page=N`` (users count from 1)."""
    raw = args.get("page", "1") or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise UserInputError("usage.bad_page", value=raw)
    return int(raw) - 1


async def _turn(ctx: Ctx, payload: dict[str, Any]) -> Reply:
    # The value comes back as the client sent it: one the pager did not make (no connection,
    # a page that is not a number, a field of another type) is a stale button, not a failure.
    command, text, page = payload.get("cmd"), payload.get("text"), payload.get("page", 0)
    if not (isinstance(command, str) and isinstance(text, str)):
        return Message(ctx.msg("error.unknown_action"))
    fn = _PAGED.get((command, text.split(" ")[0]))
    if fn is None or ctx.connection is None or type(page) is not int:
        return Message(ctx.msg("error.unknown_action"))
    args = parse_args(text).shift(1)
    message = await fn(ctx, args, max(0, page))
    return Message(message.text, message.blocks, replace_original=True)


router.action("page_next", role=Role.OPERATOR)(_turn)
router.action("page_prev", role=Role.OPERATOR)(_turn)
