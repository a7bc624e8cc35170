"""The Bolt ``AsyncApp``: every listener acks at once and hands the work to the dispatcher.

Slash commands and buttons are acked with an empty body and answered from a lazy
listener (``respond``, ``chat.postMessage``, ``views.open``/``views.update``). Modal
submissions are the exception: Slack reads ``response_action`` (errors, update) from the
ack itself, so their handlers are written to answer fast and start slow work in the
background.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import Request
from bot.dispatcher import Dispatcher
from bot.render.home import home_view
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
from bot.slack.chat import SlackChat

log = logging.getLogger(__name__)


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


def build_app(
    dispatcher: Dispatcher, *, client: AsyncWebClient, signing_secret: str | None
) -> AsyncApp:
    """The Bolt app with a listener for every declared command, button and modal."""
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        request_verification_enabled=signing_secret is not None,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
    )
    chat = SlackChat(client, max_download=dispatcher.services.config.imports.max_bytes)
    listeners = _Listeners(dispatcher, chat)
    for command in dispatcher.router.families():
        app.command(command)(ack=_ack, lazy=[listeners.command])
    for kind, id in dispatcher.router.interactions:
        if kind == "action":
            app.action(id)(ack=_ack, lazy=[listeners.action])
        else:
            app.view(id)(listeners.view)
    app.event("app_home_opened")(listeners.home)
    return app


async def _ack(ack: AsyncAck) -> None:
    await ack()


class _Listeners:
    def __init__(self, dispatcher: Dispatcher, chat: SlackChat) -> None:
        self.dispatcher = dispatcher
        self.chat = chat

    async def command(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        request = Request(
            user_id=body.get("user_id", ""),
            channel_id=body.get("channel_id", ""),
            command=body.get("command", ""),
            text=body.get("text", ""),
            user_name=body.get("user_name", ""),
            trigger_id=body.get("trigger_id"),
        )
        reply = await self.dispatcher.command(request)
        await self._deliver(reply, request, respond)

    async def action(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        action = (body.get("actions") or [{}])[0]
        view = body.get("view") or {}
        meta = _metadata(view)
        channel = (body.get("channel") or {}).get("id") or meta.get("channel", "")
        request = Request(
            user_id=(body.get("user") or {}).get("id", ""),
            channel_id=channel,
            trigger_id=body.get("trigger_id"),
            view_id=view.get("id"),
            message_ts=(body.get("container") or {}).get("message_ts"),
            payload=_action_payload(action),
        )
        reply = await self.dispatcher.interaction("action", action.get("action_id", ""), request)
        await self._deliver(reply, request, respond)

    async def view(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        meta = _metadata(view)
        request = Request(
            user_id=(body.get("user") or {}).get("id", ""),
            channel_id=meta.get("channel", ""),
            trigger_id=body.get("trigger_id"),
            view_id=view.get("id"),
            payload={
                **meta,
                "values": _state_values(view),
                "view_id": view.get("id"),
                "user_name": (body.get("user") or {}).get("name", ""),
            },
        )
        reply = await self.dispatcher.interaction("view", view.get("callback_id", ""), request)
        match reply:
            case ModalErrors(errors=errors):
                await ack(response_action="errors", errors=errors)
            case UpdateModal(view=new_view):
                await ack(response_action="update", view=new_view)
            case PushModal(view=new_view):
                await ack(response_action="push", view=new_view)
            case CloseModal(then=then):
                await ack(response_action="clear")
                if then is not None:
                    await self._post(then, request)
            case Message():
                # A sentence about a submitted modal: close it and tell the user.
                await ack(response_action="clear")
                await self._post(reply, request)
            case _:
                await ack()

    async def home(self, event: dict[str, Any]) -> None:
        user = event.get("user", "")
        services = self.dispatcher.services
        jobs = services.store.recent_jobs(creator=user, limit=10)
        view = home_view(services.messages, jobs, services.config, services.store.checks())
        await self.chat.publish_home(user, view)

    async def _deliver(self, reply: Reply, request: Request, respond: AsyncRespond) -> None:
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


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _action_payload(action: dict[str, Any]) -> dict[str, Any]:
    value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
    payload: dict[str, Any] = {"value": value}
    if value.startswith("{"):
        try:
            decoded = json.loads(value)
        except json.JSONDecodeError:
            decoded = None
        if isinstance(decoded, dict):
            payload.update(decoded)
    return payload


def _state_values(view: dict[str, Any]) -> dict[str, Any]:
    """Each input block's value as plain data: text, selected option value, or files."""
    values: dict[str, Any] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        element = actions.get("value") or next(iter(actions.values()), {})
        kind = element.get("type")
        if kind in ("static_select", "radio_buttons", "external_select"):
            values[block_id] = (element.get("selected_option") or {}).get("value")
        elif kind == "file_input":
            values[block_id] = element.get("files") or []
        elif kind == "number_input":
            values[block_id] = element.get("value")
        else:
            values[block_id] = element.get("value")
    return values
