"""Requests built and signed the way Slack sends them, and a client that posts them to the bot."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode

import httpx

EVENTS_PATH = "/slack/events"
# A closed local port: a response_url nobody listens on, when no factory is given.
NO_RESPONSE_URL = "http://127.0.0.1:9/no-response-url"

_counter = itertools.count(1)


def sign(body: bytes, secret: str, timestamp: int) -> dict[str, str]:
    """Return Slack's v0 signature headers for `body`."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Signature": f"v0={digest}", "X-Slack-Request-Timestamp": str(timestamp)}


def new_trigger_id() -> str:
    """Return a trigger id that starts with its issue time in ms (FakeSlack expires it)."""
    return f"{int(time.time() * 1000)}.{next(_counter)}.{secrets.token_hex(8)}"


def text_state(value: str | None) -> dict[str, Any]:
    """Return the state of a plain_text_input element."""
    return {"type": "plain_text_input", "value": value}


def number_state(value: str | None) -> dict[str, Any]:
    """Return the state of a number_input element."""
    return {"type": "number_input", "value": value}


def select_state(value: str | None, text: str | None = None) -> dict[str, Any]:
    """Return the state of a static_select element (None: nothing selected)."""
    option = None
    if value is not None:
        option = {"text": {"type": "plain_text", "text": text or value}, "value": value}
    return {"type": "static_select", "selected_option": option}


def radio_state(value: str | None, text: str | None = None) -> dict[str, Any]:
    """Return the state of a radio_buttons element (None: nothing chosen)."""
    return {**select_state(value, text), "type": "radio_buttons"}


def files_state(*files: dict[str, Any]) -> dict[str, Any]:
    """Return the state of a file_input element holding Slack file objects."""
    return {"type": "file_input", "files": list(files)}


@dataclass
class AckResponse:
    """The bot's HTTP answer to one request, with its latency."""

    status: int
    headers: dict[str, str]
    text: str
    elapsed: float
    response_url: str | None = None
    trigger_id: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def json_body(self) -> Any:
        """The answer parsed as JSON, or None when it is empty or not JSON."""
        try:
            return json.loads(self.text) if self.text else None
        except ValueError:
            return None


class SlackClient:
    """Sends signed slash commands, interactions and events to the bot's /slack/events."""

    def __init__(
        self,
        base_url: str,
        signing_secret: str,
        *,
        response_url_factory: Callable[..., str] | None = None,
        path: str = EVENTS_PATH,
        team_id: str = "T0CALLOPS",
        api_app_id: str = "A0CALLOPS",
        bot_user_id: str = "U0CALLOPSBOT",
        verification_token: str = "legacy-verification-token",
        timeout: float = 10.0,
    ) -> None:
        self.url = base_url.rstrip("/") + path
        self.signing_secret = signing_secret
        self.response_url_factory = response_url_factory
        self.team_id = team_id
        self.api_app_id = api_app_id
        self.bot_user_id = bot_user_id
        self.verification_token = verification_token
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Self:
        self._client = httpx.AsyncClient(timeout=self.timeout)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connection opened by ``async with``."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def sign(
        self, body: bytes, timestamp: int | None = None, secret: str | None = None
    ) -> dict[str, str]:
        """Return signature headers for `body` (now and the configured secret by default)."""
        ts = int(time.time()) if timestamp is None else timestamp
        return sign(body, self.signing_secret if secret is None else secret, ts)

    async def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> AckResponse:
        """POST a raw body, signed unless `signed` is False; `headers` override the rest."""
        all_headers = {"Content-Type": content_type}
        if signed:
            all_headers.update(self.sign(body, timestamp, secret))
        all_headers.update(headers or {})
        started = time.perf_counter()
        if self._client is not None:
            response = await self._client.post(self.url, content=body, headers=all_headers)
        else:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(self.url, content=body, headers=all_headers)
        elapsed = time.perf_counter() - started
        return AckResponse(response.status_code, dict(response.headers), response.text, elapsed)

    async def command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0OPS1",
        channel_id: str = "C0OPS",
        user_name: str = "op",
        channel_name: str | None = None,
        response_url: str | None = None,
        trigger_id: str | None = None,
    ) -> AckResponse:
        """Send a slash command, form-encoded like Slack."""
        response_url = response_url or self._response_url()
        trigger_id = trigger_id or new_trigger_id()
        form = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": "callops-test",
            "channel_id": channel_id,
            "channel_name": channel_name or _channel_name(channel_id),
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        ack = await self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")
        ack.response_url, ack.trigger_id, ack.payload = response_url, trigger_id, form
        return ack

    async def block_action(
        self,
        action_id: str,
        value: str | None = None,
        *,
        user_id: str = "U0OPS1",
        channel_id: str | None = "C0OPS",
        view: dict[str, Any] | None = None,
        message_ts: str | None = None,
        message: dict[str, Any] | None = None,
        response_url: str | None = None,
        block_id: str = "actions",
        action_type: str = "button",
        selected_option: dict[str, Any] | None = None,
        state_values: dict[str, Any] | None = None,
        trigger_id: str | None = None,
    ) -> AckResponse:
        """Send a block_actions interaction from a message (default) or from `view`."""
        trigger_id = trigger_id or new_trigger_id()
        action: dict[str, Any] = {
            "type": action_type,
            "action_id": action_id,
            "block_id": block_id,
            "action_ts": f"{time.time():.6f}",
        }
        if value is not None:
            action["value"] = value
        if selected_option is not None:
            action["selected_option"] = selected_option
        payload: dict[str, Any] = {
            "type": "block_actions",
            **self._envelope(user_id, trigger_id),
            "actions": [action],
            "state": {"values": state_values or {}},
        }
        if channel_id is not None:
            payload["channel"] = {"id": channel_id, "name": _channel_name(channel_id)}
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id")}
            if response_url is not None:
                payload["response_url"] = response_url
        else:
            response_url = response_url or self._response_url()
            payload["response_url"] = response_url
            message_ts = message_ts or (message or {}).get("ts") or f"{time.time():.6f}"
            payload["message"] = {
                "type": "message",
                "ts": message_ts,
                "user": self.bot_user_id,
                "text": "",
                "blocks": [],
                **(message or {}),
            }
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": False,
            }
        ack = await self._post_payload(payload)
        ack.response_url, ack.trigger_id = response_url, trigger_id
        return ack

    async def view_submission(
        self,
        callback_id: str,
        state_values: dict[str, Any] | None = None,
        *,
        private_metadata: str = "",
        user_id: str = "U0OPS1",
        view_id: str | None = None,
        view_hash: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        trigger_id: str | None = None,
    ) -> AckResponse:
        """Send a view_submission of a modal with these input states."""
        trigger_id = trigger_id or new_trigger_id()
        view_id = view_id or f"V{next(_counter):010d}"
        payload = {
            "type": "view_submission",
            **self._envelope(user_id, trigger_id),
            "view": {
                "id": view_id,
                "team_id": self.team_id,
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "title": {"type": "plain_text", "text": "callops"},
                "blocks": blocks or [],
                "state": {"values": state_values or {}},
                "hash": view_hash or f"{int(time.time())}.{secrets.token_hex(4)}",
                "root_view_id": view_id,
                "previous_view_id": None,
                "external_id": "",
                "app_id": self.api_app_id,
                "bot_id": "B0CALLOPS",
            },
            "response_urls": [],
        }
        ack = await self._post_payload(payload)
        ack.trigger_id = trigger_id
        return ack

    async def block_suggestion(
        self,
        action_id: str,
        value: str = "",
        *,
        user_id: str = "U0OPS1",
        view: dict[str, Any] | None = None,
        block_id: str = "select",
    ) -> AckResponse:
        """Send an options request (``block_suggestion``) of an external select."""
        payload: dict[str, Any] = {
            "type": "block_suggestion",
            **self._envelope(user_id, new_trigger_id()),
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
            "container": {"type": "view", "view_id": (view or {}).get("id", "V0")},
        }
        payload.pop("trigger_id")  # Slack sends none with an options request
        if view is not None:
            payload["view"] = view
        return await self._post_payload(payload)

    async def view_closed(
        self, callback_id: str, *, user_id: str = "U0OPS1", view_id: str = "V0CLOSED"
    ) -> AckResponse:
        """Send ``view_closed`` (a modal opened with ``notify_on_close`` was closed)."""
        payload = {
            "type": "view_closed",
            **self._envelope(user_id, new_trigger_id()),
            "view": {"id": view_id, "type": "modal", "callback_id": callback_id},
            "is_cleared": False,
        }
        payload.pop("trigger_id")
        return await self._post_payload(payload)

    async def shortcut(
        self, callback_id: str, *, user_id: str = "U0OPS1", trigger_id: str | None = None
    ) -> AckResponse:
        """Send a global shortcut."""
        trigger_id = trigger_id or new_trigger_id()
        payload = {
            "type": "shortcut",
            **self._envelope(user_id, trigger_id),
            "callback_id": callback_id,
            "action_ts": f"{time.time():.6f}",
        }
        ack = await self._post_payload(payload)
        ack.trigger_id = trigger_id
        return ack

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> AckResponse:
        """Send an Events API event_callback; `retry_num` marks it as Slack's retry."""
        now = time.time()
        envelope = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": {"event_ts": f"{now:.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_counter):010d}",
            "event_time": int(now),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        body = json.dumps(envelope).encode()
        ack = await self.post(body, "application/json", headers=headers)
        ack.payload = envelope
        return ack

    async def url_verification(self, challenge: str) -> AckResponse:
        """Send the url_verification handshake Slack does when a request URL is saved."""
        body = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return await self.post(json.dumps(body).encode(), "application/json")

    def _envelope(self, user_id: str, trigger_id: str) -> dict[str, Any]:
        return {
            "team": {"id": self.team_id, "domain": "callops-test"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "trigger_id": trigger_id,
            "enterprise": None,
            "is_enterprise_install": False,
        }

    async def _post_payload(self, payload: dict[str, Any]) -> AckResponse:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        ack = await self.post(body, "application/x-www-form-urlencoded")
        ack.payload = payload
        return ack

    def _response_url(self) -> str:
        return self.response_url_factory() if self.response_url_factory else NO_RESPONSE_URL


def _channel_name(channel_id: str) -> str:
    return "directmessage" if channel_id.startswith("D") else channel_id.lower()
