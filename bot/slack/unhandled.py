"""What the bot answers to a Slack request no listener takes: an ack, and words where a user waits.

Slack waits 3 s for every request's ack. Bolt answers one that no listener matched with a
404, and its Socket Mode adapter then sends nothing at all: the user sees an error, and an
event is sent again and again. Built with ``raise_error_for_unhandled_request=True``, Bolt
hands such a request to the app's error handler instead (``BoltUnhandledRequestError``);
the handler here acks it:

- a button or select of an older message (the bot was upgraded since) — ack, then tell
  the user, ephemerally, which command shows it again (``/job J12`` for a job's card);
- a modal of an older version — the ack replaces it with that sentence;
- an options request (``block_suggestion``) — no options;
- a shortcut — ack, and a sentence when Slack gave a ``response_url``;
- an event type, a closed modal, anything else — ack, nothing more.

The ack is the handler's answer, so the handler only decides; sentences are sent after it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.dispatcher import Dispatcher
from bot.messages import Messages
from bot.slack.chat import SlackChat

log = logging.getLogger(__name__)

# A job as users type it: ``J<n>`` (``Job.ref``, bot/store/models.py).
_JOB_REF = re.compile(r"^J\d+$")


def install(app: AsyncApp, dispatcher: Dispatcher, chat: SlackChat) -> None:
    """Make ``app`` ack what no listener takes (it must raise for unhandled requests)."""
    app.error(Fallback(dispatcher, chat).on_error)


class Fallback:
    """The app's error handler: acks unhandled requests, logs every other error as Bolt does."""

    def __init__(self, dispatcher: Dispatcher, chat: SlackChat) -> None:
        self.services = dispatcher.services
        self.families = dispatcher.router.families()
        self.chat = chat

    async def _msg_for(self, body: dict[str, Any]) -> Messages:
        """The catalog in the language of the user who pressed or submitted (theirs alone)."""
        user = (body.get("user") or {}).get("id", "")
        if not isinstance(user, str) or not user:
            return self.services.messages
        return Messages(await self.services.languages.of_user(user))

    async def on_error(
        self, error: Exception, request: AsyncBoltRequest, response: BoltResponse | None
    ) -> BoltResponse | None:
        """Bolt's global error handler: the answer for an unhandled request, None otherwise."""
        if not isinstance(error, BoltUnhandledRequestError):
            # Bolt's own handlers log the same way; the response stays Bolt's (a 500).
            log.error("a Slack request failed: %s", error, exc_info=error)
            return None
        body = request.body
        match body.get("type"):
            case "block_actions":
                self._older_button(body, await self._msg_for(body))
            case "view_submission":
                return _json(self._older_form(body, await self._msg_for(body)))
            case "block_suggestion":
                log.info("no options for %s: nothing offers them", body.get("action_id"))
                return _json({"options": []})
            case "shortcut" | "message_action":
                self._older_shortcut(body, await self._msg_for(body))
            case "event_callback":
                event_type = (body.get("event") or {}).get("type")
                log.debug("an event of type %s acked: nothing listens to it", event_type)
            case None if body.get("command"):
                log.info("%s acked: no listener for it", body.get("command"))
            case kind:
                log.debug("a request of type %s acked: nothing listens to it", kind)
        return BoltResponse(status=200, body="")

    def _older_button(self, body: dict[str, Any], msg: Messages) -> None:
        action = (body.get("actions") or [{}])[0]
        action_id = str(action.get("action_id", ""))
        command = command_for(action_id, _value_payload(action), self.families)
        text = msg("stale.button", command=command) if command else msg("stale.button.generic")
        user = (body.get("user") or {}).get("id", "")
        log.info(
            "%s pressed %s on an older message; told to run %s",
            user,
            action_id,
            command or "the command again",
        )
        self._tell(body, user, text)

    def _older_form(self, body: dict[str, Any], msg: Messages) -> dict[str, Any]:
        view = body.get("view") or {}
        callback_id = str(view.get("callback_id", ""))
        command = command_for(callback_id, {}, self.families)
        text = msg("stale.form", command=command) if command else msg("stale.form.generic")
        log.info(
            "%s submitted %s, a form of an older version; told to run %s",
            (body.get("user") or {}).get("id", ""),
            callback_id,
            command or "the command again",
        )
        return {"response_action": "update", "view": notice_view(msg, text)}

    def _older_shortcut(self, body: dict[str, Any], msg: Messages) -> None:
        user = (body.get("user") or {}).get("id", "")
        log.info("%s used the shortcut %s, which nothing handles", user, body.get("callback_id"))
        if body.get("response_url"):
            self._tell(body, user, msg("stale.shortcut"))

    def _tell(self, body: dict[str, Any], user: str, text: str) -> None:
        """Show ``text`` to ``user`` alone, after the ack: on the response_url, else the channel."""
        response_url = body.get("response_url")
        channel = (body.get("channel") or {}).get("id") or _view_channel(body.get("view") or {})
        if response_url:
            payload = {"text": text, "response_type": "ephemeral", "replace_original": False}
            work = self.chat.respond(response_url, payload)
        elif channel and user:
            work = self.chat.ephemeral(channel, user, text)
        else:
            log.info("no channel to tell %s in", user)
            return
        self.services.spawn(work, name="older request")


def command_for(identifier: str, payload: dict[str, Any], families: Sequence[str]) -> str | None:
    """The slash command that shows again what an older button or form was about, if known.

    A pager's value carries its command; a job's buttons carry the job (``J12``); else the
    id's first word names the command family (``job_pause`` → ``/job``).
    """
    command = payload.get("cmd")
    if isinstance(command, str) and command in families:
        return f"{command} {payload.get('text') or ''}".strip()
    for ref in (payload.get("job"), payload.get("value")):
        if isinstance(ref, str) and _JOB_REF.match(ref):
            return f"/job {ref}"
    family = "/" + identifier.split("_", 1)[0]
    return family if family in families else None


def notice_view(msg: Messages, text: str) -> dict[str, Any]:
    """A modal that only says ``text``, with a Close button."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": msg("stale.form.title")},
        "close": {"type": "plain_text", "text": msg("stale.close")},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def _value_payload(action: dict[str, Any]) -> dict[str, Any]:
    """A button or select value, with a JSON object value's fields."""
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


def _view_channel(view: dict[str, Any]) -> str | None:
    """The channel a modal was opened from, as its ``private_metadata`` records it."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return None
    channel = meta.get("channel") if isinstance(meta, dict) else None
    return channel if isinstance(channel, str) else None


def _json(body: dict[str, Any]) -> BoltResponse:
    return BoltResponse(status=200, body=body)
