"""Slack's retries never run a command twice, whichever replica they reach.

Slack sends a request again when it thinks the first went unanswered
(``X-Slack-Retry-Num``, ``X-Slack-Retry-Reason``), maybe to another replica. Each request is
known by its own ids: an event by ``event_id``; a slash command, button, shortcut or modal
submission by its ``trigger_id`` (Slack issues one per user gesture), else by the view's
id and hash or the action's ``action_ts``. The first sight is recorded in the database
before any listener runs; a repeat is answered 200 and dropped.

Slash commands and buttons are recorded anyway before their ack (``pending_commands``, so
that another replica can answer them if this one dies): their record carries the key and
refuses a repeat in the same statement (``Listeners.ack_command``), one round trip to the
database instead of two. Every other request is checked here (``bot.store.seen``).

A global Bolt middleware, after Bolt's signature check: the same in HTTP and Socket Mode.
Options requests (``block_suggestion``) are queries that must be answered, never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot import metrics
from bot.store import Store
from bot.store.seen import first_sight

log = logging.getLogger(__name__)


def request_key(body: dict[str, Any]) -> str | None:
    """The request's own identity, or None for what is never deduplicated."""
    if _text(body.get("event_id")):
        return f"event:{body['event_id']}"
    if body.get("type") == "block_suggestion":
        return None
    if _text(body.get("trigger_id")):
        prefix = "command" if body.get("command") else "interaction"
        return f"{prefix}:{body['trigger_id']}"
    view = body.get("view")
    if isinstance(view, dict) and _text(view.get("id")) and _text(view.get("hash")):
        return f"view:{view['id']}:{view['hash']}"
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    if isinstance(first, dict) and _text(first.get("action_ts")):
        return f"action:{first['action_ts']}:{first.get('action_id', '')}"
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def dropped(key: str, retry: str = "?") -> None:
    """Say that a repeat of ``key`` was dropped (the log and ``callops_slack_repeats_total``)."""
    log.info("dropped a repeat of %s (Slack retry %s)", key, retry)
    metrics.SLACK_REPEATS.inc()


def install(
    app: AsyncApp, store: Store, *, recorded: Callable[[dict[str, Any]], bool] = lambda _: False
) -> None:
    """Add the deduplicating middleware to ``app`` (after Bolt's own checks); the check
    runs on the store's lane for acks (``Store.write_for_ack``), never on the loop.

    ``recorded`` tells the requests whose listener records them with their key, and so
    refuses their repeats itself: the middleware lets those through unchecked.
    """

    async def drop_repeats(
        req: AsyncBoltRequest, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        key = None if recorded(req.body) else request_key(req.body)
        if key is not None:
            now = datetime.now(UTC)
            if not await store.write_for_ack(first_sight, store, key, now):
                dropped(key, req.headers.get("x-slack-retry-num", ["?"])[0])
                return BoltResponse(status=200, body="")
        await next()
        return None

    app.middleware(drop_repeats)
