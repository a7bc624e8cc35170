"""The Bolt ``AsyncApp``: every listener acks at once and hands the work to the dispatcher.

Slash commands and buttons are acked with an empty body; the work then runs as a task
and answers through ``respond``, ``chat.postMessage`` or ``views.*``. (Bolt's
lazy listeners do the same for FaaS hosts, but deep-copy the whole request first: 1.2 of
the 2.3 ms an ack cost when measured. A long-running process does not need the copy.) Modal
submissions are the exception: Slack reads ``response_action`` (errors, update) from the
ack itself, so their handlers are written to answer fast and start slow work in the
background. A request no listener takes is acked all the same (``bot.slack.unhandled``).

In HTTP mode Slack's requests reach this app from ``bot.slack.server`` in the same
process, and Bolt checks their signature (``request_verification_enabled``) before any
listener runs. Every listener must therefore ack before slow work: the HTTP answer is
sent only when the listener returns.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.logger import get_bolt_logger
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.context import Request
from bot.dispatcher import Dispatcher
from bot.home import HomeService
from bot.masking import mask
from bot.messages import Messages, mention
from bot.replies import (
    CloseModal,
    Message,
    ModalErrors,
    NoReply,
    OpenModal,
    PushModal,
    Reply,
    UpdateModal,
)
from bot.slack import payloads, retries, unhandled
from bot.slack.backlog import WORKERS, Backlog
from bot.slack.chat import SlackChat
from bot.slack.payloads import (
    BlockActions,
    Carried,
    EventCallback,
    SlashCommand,
    ViewSubmission,
)
from bot.store.grouped import GroupedWrites
from bot.store.models import AuditEntry, PendingCommand
from bot.store.pending import Acked, PendingStore

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[None]]


def web_client(token: str, api_url: str) -> AsyncWebClient:
    """A Web API client on ``api_url`` that honours Slack's 429 ``Retry-After``."""
    return AsyncWebClient(
        token=token,
        base_url=api_url if api_url.endswith("/") else api_url + "/",
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=5),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


class _ClientCarriesTheToken(logging.Filter):
    """Drops Bolt's warning that ``SLACK_BOT_TOKEN`` goes unused when a client is given.

    Bolt reads the variable whatever it is passed; our client was built with that very
    token (and ``SLACK_API_URL``), so the warning at every start only worries operators.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def build_app(
    dispatcher: Dispatcher,
    *,
    chat: SlackChat,
    home: HomeService,
    signing_secret: str = "",
    pending: PendingStore | None = None,
) -> tuple[AsyncApp, Listeners]:
    """The Bolt app with a listener for every declared command, button and modal.

    Every HTTP request must carry Slack's signature made with ``signing_secret`` (none
    passes without one). Bolt skips the check in Socket Mode, where the connection that
    the app token opened is the proof.
    """
    bolt_log = get_bolt_logger(AsyncApp)
    if not any(isinstance(f, _ClientCarriesTheToken) for f in bolt_log.filters):
        bolt_log.addFilter(_ClientCarriesTheToken())
    app = _TimedApp(
        client=chat.client,
        signing_secret=signing_secret,
        request_verification_enabled=True,
        # With False, Bolt polls every 10 ms for the ack; with True our ack listener answers
        # inline and lazy listeners still run after the response (same semantics, ~10 ms less).
        process_before_response=True,
        # What no listener takes goes to bot.slack.unhandled, which acks it.
        raise_error_for_unhandled_request=True,
    )
    listeners = Listeners(dispatcher, chat, home, pending=pending)
    for command in dispatcher.router.families():
        app.command(command)(listeners.ack_command)
        listeners.commands.add(command)
    for kind, id in dispatcher.router.interactions:
        if kind == "action":
            app.action(id)(listeners.ack_action)
            listeners.actions.add(id)
        else:
            app.view(id)(listeners.view)
    app.event("app_home_opened")(listeners.ack_home)
    # What the edge says before any listener is in the sender's language as this replica
    # last knew it: no database read, no Slack call before that ack.
    languages = dispatcher.services.languages
    app.reader = payloads.PayloadReader(
        lambda user: Messages(languages.last_known(user)),
        listeners.tell,
        listeners.backlog.busy,
        seal=chat.seal,
        forged=listeners.audit_forged,
    )
    unhandled.install(app, dispatcher, chat)
    retries.install(app, dispatcher.services.store, recorded=listeners.records_itself)
    return app, listeners


class _TimedApp(payloads.ReadingApp):
    """Bolt's app, each request's time to its ack observed (``callops_ack_seconds``).

    Listeners ack before their work (``process_before_response``), so the time
    ``async_dispatch`` takes is the ack's, in HTTP and Socket Mode alike.
    """

    async def async_dispatch(self, req: AsyncBoltRequest) -> BoltResponse:
        started = time.perf_counter()
        try:
            return await super().async_dispatch(req)
        finally:
            kind = _kind(req.body)
            metrics.ACK_SECONDS.labels(kind=kind).observe(time.perf_counter() - started)


# The request kinds the histogram is labelled by (anything else is "other": a label's
# values must stay few, whatever a body says).
_KINDS = frozenset(
    {"block_actions", "view_submission", "view_closed", "block_suggestion", "shortcut"}
)


def _kind(body: dict[str, Any]) -> str:
    if body.get("command"):
        return "command"
    if body.get("event_id"):
        return "event"
    kind = body.get("type")
    return kind if isinstance(kind, str) and kind in _KINDS else "other"


class Listeners:
    """Ack at once; queue the work per channel (``bot.slack.backlog``), ``work_slots`` at a time.

    Past the backlog's bound nothing is acked to wait: the edge answers busy
    (``bot.slack.payloads.PayloadReader``).

    With ``pending``, a slash command or button press is recorded before its ack and marked
    done once answered, so that another replica can answer it if this one dies
    (``bot.slack.handover``). The insert runs in a thread: the event loop keeps acking.
    The record carries the request's key (``bot.slack.retries``): a Slack retry of it, on
    any replica, is refused by the same insert and acked without running.
    """

    def __init__(
        self,
        dispatcher: Dispatcher,
        chat: SlackChat,
        home: HomeService,
        work_slots: int = WORKERS,
        pending: PendingStore | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.chat = chat
        self.home = home
        self.pending = pending
        # Acked commands, buttons and Home tabs wait here, per channel, and run in turn.
        self.backlog = Backlog(
            lambda work, name: dispatcher.services.spawn(work, name=name), workers=work_slots
        )
        self._work_slots = work_slots
        self._slots: asyncio.Semaphore | None = None
        # The slash commands and action ids acked here (``build_app`` adds them).
        self.commands: set[str] = set()
        self.actions: set[str] = set()
        # Records that arrive while others are being written go together (a burst of
        # commands costs a few statements, not one each).
        self._records: GroupedWrites[Acked, int | None] | None = (
            GroupedWrites(pending.write_for_ack) if pending is not None else None
        )

    def records_itself(self, body: dict[str, Any]) -> bool:
        """Whether ``body`` goes to a listener that records it with its key (a repeat is
        then refused by that record, not by ``bot.slack.retries``' middleware)."""
        if self.pending is None:
            return False
        command = body.get("command")
        if command is not None:
            return command in self.commands
        actions = body.get("actions")
        first = actions[0] if body.get("type") == "block_actions" and actions else None
        return isinstance(first, dict) and first.get("action_id") in self.actions

    @property
    def work_slots(self) -> asyncio.Semaphore:
        # Bounds handlers running at once; created on the loop, on first use.
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._work_slots)
        return self._slots

    def _to_work(self, work: Coroutine[Any, Any, None], name: str) -> None:
        self.dispatcher.services.spawn(work, name=name)

    async def ack_command(
        self, ack: AsyncAck, context: AsyncBoltContext, body: dict[str, Any]
    ) -> None:
        payload: SlashCommand = context["payload"]
        command = f"{payload.command} {payload.text}".strip()
        first, pending_id = await self._record(
            "command", body, command=command, channel=payload.channel_id, user=payload.user_id
        )
        await ack()
        if first:
            self._put_command(pending_id, payload)

    async def ack_action(
        self, ack: AsyncAck, context: AsyncBoltContext, body: dict[str, Any]
    ) -> None:
        payload: BlockActions = context["payload"]
        channel = payload.channel.id if payload.channel else ""
        first, pending_id = await self._record(
            "action",
            body,
            command=f"action {payload.action.action_id}",
            channel=channel,
            user=payload.user.id,
        )
        await ack()
        if first:
            self._put_action(pending_id, payload)

    def _put_command(self, pending_id: int | None, payload: SlashCommand) -> None:
        respond = self._responder(payload.response_url)
        self.backlog.put(
            payload.channel_id,
            lambda: self._answered(pending_id, self.command(payload, respond)),
            payload.command,
        )

    def _put_action(self, pending_id: int | None, payload: BlockActions) -> None:
        respond = self._responder(payload.response_url)
        channel = payload.channel.id if payload.channel else ""
        self.backlog.put(
            channel, lambda: self._answered(pending_id, self.action(payload, respond)), "action"
        )

    def replay(self, row: PendingCommand) -> None:
        """Run again a request another replica acked and did not answer (its row is ours now)."""
        try:
            payload = payloads.read(row.body)
        except ValueError:
            payload = None
        if isinstance(payload, SlashCommand):
            self._put_command(row.id, payload)
        elif isinstance(payload, BlockActions):
            self._put_action(row.id, payload)
        else:  # it was read before its ack: only a changed model can refuse it now
            log.warning("pending command %d is no longer readable; dropped", row.id)
            self._to_work(self._answered(row.id, _nothing()), name="unreadable pending")

    async def _record(
        self, kind: str, body: dict[str, Any], *, command: str, channel: str, user: str
    ) -> tuple[bool, int | None]:
        """Keep the request in the database before the ack: ``(first, id)``.

        ``first`` is False for a repeat of a request recorded before (Slack's retry, on any
        replica): it is acked and not run. The id is None when nothing is kept (no store,
        or the insert failed: the request still runs, here).
        """
        if self._records is None:
            return True, None
        key = retries.request_key(body)
        # Slack's legacy verification token is not needed to run the request again.
        kept = {name: value for name, value in body.items() if name != "token"}
        try:
            pending_id = await self._records(
                Acked(kind, kept, command, _team(body), channel, user, request_key=key)
            )
        except Exception:
            # Answer all the same; only a death of this replica would lose it now.
            log.exception("could not record the %s before its ack", kind)
            return True, None
        if pending_id is None and key is not None:
            retries.dropped(key)
            return False, None
        return True, pending_id

    async def _answered(self, pending_id: int | None, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work``; once it has answered (or failed for good) the row is done.

        A cancelled run (a stop) leaves its row undone, for the next replica.
        """
        finished = False
        try:
            await work
            finished = True
        except Exception:
            finished = True
            raise
        finally:
            if finished and pending_id is not None and self.pending is not None:
                try:
                    await self.pending.store.write(self.pending.done, pending_id)
                except Exception:
                    log.exception("could not mark command %d answered", pending_id)

    async def ack_home(self, ack: AsyncAck, context: AsyncBoltContext) -> None:
        await ack()
        payload: EventCallback = context["payload"]
        user = payload.event.user_id
        if user:
            self.backlog.put(user, lambda: self.home.publish(user), "app_home_opened")

    def audit_forged(self, body: dict[str, Any]) -> None:
        """Audit a request whose ``private_metadata`` is not the bot's (refused at the edge);
        then, like an admin action's, copy it to the audit channel (in that channel's
        language, from a task after the ack, through the outbox)."""
        services = self.dispatcher.services
        raw_view = body.get("view")
        view = raw_view if isinstance(raw_view, dict) else {}
        form = view.get("callback_id")
        actions = body.get("actions")
        action = actions[0] if isinstance(actions, list) and actions else None
        what = (
            f"action {action.get('action_id')}"
            if isinstance(action, dict)
            else f"{body.get('type')} {view.get('callback_id')}"
        )
        entry = AuditEntry(
            user_id=_id(body.get("user"))[:32],
            channel_id=_id(body.get("channel"))[:32],
            command=mask(what, services.secrets)[:200],
            connection=None,
            role="unknown",
            outcome="forged",
            detail="the form's private_metadata is not the one callops sealed; nothing done",
            duration_ms=0,
        )

        channel = services.config.audit_channel

        async def write() -> None:
            try:
                await services.store.audit(entry)
            except Exception:
                log.exception("could not audit a request with forged private_metadata")
            if not channel:
                return
            try:  # the row first (state before words), as bot.middleware.audit copies
                async with services.languages.channel_scope(channel) as msg:
                    text = msg(
                        "audit.forged",
                        user=_who(entry.user_id),
                        form=mask(form if isinstance(form, str) else "?", services.secrets)[:100],
                    )
                    await services.chat.post(channel, text)
            except Exception:
                log.exception("could not post the audit copy of a forged form")

        self._to_work(write(), name="audit forged")

    def tell(self, response_url: str, text: str) -> None:
        """Show ``text`` ephemerally on ``response_url``, after the ack."""
        payload = {"text": text, "response_type": "ephemeral", "replace_original": False}
        self._to_work(self.chat.respond(response_url, payload), name="tell")

    def _responder(self, response_url: str | None) -> Respond:
        async def respond(**payload: Any) -> None:
            if response_url:
                clean = {k: v for k, v in payload.items() if v is not None}
                await self.chat.respond(response_url, clean)
            else:
                log.warning("no response_url to answer on")

        return respond

    async def command(self, body: SlashCommand, respond: Respond) -> None:
        shown = False

        async def progress(text: str) -> None:
            # The first sentence creates the ephemeral reply; later ones (and the final
            # reply, sent with replace_original) replace it.
            nonlocal shown
            await respond(text=text, response_type="ephemeral", replace_original=shown)
            shown = True

        request = Request(
            user_id=body.user_id,
            channel_id=body.channel_id,
            command=body.command,
            text=body.text,
            user_name=body.user_name,
            trigger_id=body.trigger_id,
            progress=progress,
        )
        async with self.work_slots:
            reply = await self.dispatcher.command(request)
            if shown and isinstance(reply, Message) and reply.ephemeral:
                reply = replace(reply, replace_original=True)  # the answer replaces progress
            await self._deliver(reply, request, respond)

    async def action(self, body: BlockActions, respond: Respond) -> None:
        meta = body.view.meta if body.view else Carried()
        request = Request(
            user_id=body.user.id,
            channel_id=(body.channel.id if body.channel else "") or meta.channel or "",
            trigger_id=body.trigger_id,
            view_id=body.view.id if body.view else None,
            message_ts=body.container.message_ts if body.container else None,
            payload=body.action.payload(),
        )
        async with self.work_slots:
            reply = await self.dispatcher.interaction("action", body.action.action_id, request)
            await self._deliver(reply, request, respond)

    async def view(self, ack: AsyncAck, context: AsyncBoltContext) -> None:
        body: ViewSubmission = context["payload"]
        view = body.view
        meta = view.meta.fields()
        request = Request(
            user_id=body.user.id,
            channel_id=meta.get("channel", ""),
            trigger_id=body.trigger_id,
            view_id=view.id,
            payload={
                **meta,
                "values": view.values(),
                "view_id": view.id,
                "user_name": body.user.name,
            },
        )
        reply = await self.dispatcher.interaction("view", view.callback_id, request)
        match reply:
            case ModalErrors(errors=errors):
                await ack(response_action="errors", errors=errors)
            case UpdateModal(view=new_view):
                await ack(response_action="update", view=self.chat.seal.view(new_view))
            case PushModal(view=new_view):
                await ack(response_action="push", view=self.chat.seal.view(new_view))
            case CloseModal(then=then):
                await ack(response_action="clear")
                if then is not None:
                    self._post_later(then, request)
            case Message():
                # A sentence about a submitted modal: close it and tell the user.
                await ack(response_action="clear")
                self._post_later(reply, request)
            case _:
                await ack()

    async def _deliver(self, reply: Reply, request: Request, respond: Respond) -> None:
        match reply:
            case Message(ephemeral=True):
                await respond(
                    text=reply.text,
                    blocks=reply.blocks or None,
                    response_type="ephemeral",
                    replace_original=reply.replace_original,
                )
            case Message():
                await self._post(reply, request)
                if reply.replace_original:
                    await respond(delete_original=True)
            case OpenModal(view=view) if request.trigger_id:
                await self.chat.open_view(request.trigger_id, view)
            case UpdateModal(view=view) | PushModal(view=view) if request.view_id:
                await self.chat.update_view(request.view_id, view)
            case NoReply():
                pass
            case _:
                log.warning("nothing to deliver %s for %s", type(reply).__name__, request.command)

    def _post_later(self, message: Message, request: Request) -> None:
        # The ack's HTTP answer is sent when this listener returns: post after it.
        self._to_work(self._post(message, request), name="post after modal")

    async def _post(self, message: Message, request: Request) -> None:
        if message.ephemeral:
            await self.chat.ephemeral(
                request.channel_id, request.user_id, message.text, message.blocks or None
            )
            return
        ts = await self.chat.post(request.channel_id, message.text, message.blocks or None)
        for file in message.files:
            await self.chat.upload(
                request.channel_id, file.filename, file.content, title=file.title, thread_ts=ts
            )


async def _nothing() -> None:
    return None


def _id(ref: Any) -> str:
    """The ``id`` of a user or channel object of a raw request ("" when there is none)."""
    value = ref.get("id") if isinstance(ref, dict) else None
    return value if isinstance(value, str) else ""


def _who(user_id: str) -> str:
    """A mention of a Slack user id; anything else (a forged body's) as inert text."""
    return mention(user_id) if re.fullmatch(payloads.USER_ID, user_id) else user_id or "?"


def _team(body: dict[str, Any]) -> str:
    """The workspace of a raw request (``team_id`` of a command, ``team.id`` of a payload)."""
    team = body.get("team_id")
    if isinstance(team, str):
        return team
    inner = body.get("team")
    value = inner.get("id") if isinstance(inner, dict) else None
    return value if isinstance(value, str) else ""


def view_metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The JSON object a view the bot built carries in ``private_metadata`` (the console)."""
    try:
        return payloads.View.model_validate(view).meta.fields()
    except ValueError:
        return {}


def action_payload(action: dict[str, Any]) -> dict[str, Any]:
    """A button or select value of a message the bot built, as a payload (the console)."""
    try:
        return payloads.Action.model_validate({"action_id": "", **action}).payload()
    except ValueError:
        return {"value": ""}
