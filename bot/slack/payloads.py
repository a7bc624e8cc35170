"""Slack's request bodies read through typed models, once, at the edge.

``ReadingApp`` reads every request a listener may take into one of the models below,
before Bolt routes it, and hands it to the listener in ``context["payload"]``; listeners
read typed fields and never walk the raw body. A body whose fields have the wrong types
(Slack never sends one, but anyone who holds the signing secret, or a bug, may) is not
read at all: it is answered here, 200, with a sentence where a person waits —

- a slash command: the ack itself carries the sentence (Slack shows it ephemerally);
- a button: the sentence on the message's ``response_url`` when it is usable;
- a modal: the ack replaces the modal with the sentence (Slack reads the answer);
- anything else (an event, an options request): a plain ack, and an INFO log line.

The JSON the bot carries in a modal's ``private_metadata`` and in a button's value is
read here too (``Carried``): a value that is not a JSON object, or a known field of the
wrong type, makes the request unreadable, and the user is told.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.messages import Messages
from bot.slack.sealing import Seal

log = logging.getLogger(__name__)

# How often a flood of busy answers is logged.
BUSY_LOG_EVERY = 10.0
Scalar = str | int | bool | None
# A user, channel or team id as Slack writes them: capitals and digits (U0123ABC, C0456DEF).
# The bot posts them back inside mentions and stores them in audit rows.
SlackId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{0,40}$")]
# The same, never empty: the person who sent a request.
USER_ID = r"^[A-Z0-9]{1,40}$"
UserId = Annotated[str, StringConstraints(pattern=USER_ID)]


class _Model(BaseModel):
    # Fields the bot does not read are ignored; the ones it reads must have their type
    # (no coercion of numbers to text or lists to anything).
    model_config = ConfigDict(extra="ignore", frozen=True)


class Carried(BaseModel):
    """What the bot put in a button's value or a modal's ``private_metadata`` (a JSON object).

    Known fields are typed; any other field must be plain text, a number or a flag.
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)
    __pydantic_extra__: dict[str, Scalar] = Field(init=False)

    # Read as text by the dispatcher and the pager (connection, channel, cmd, text).
    channel: SlackId | None = None
    connection: str | None = None
    cmd: str | None = None
    text: str | None = None
    job: str | None = None
    name: str | None = None
    page: int | None = Field(default=None, ge=0)
    # Provider ids, written as the provider gave them (text or a number).
    campaign: str | int | None = None
    contact: str | int | None = None
    staged: str | int | None = None
    callin_id: str | int | None = Field(default=None, alias="callinId")
    ref_id: str | int | None = Field(default=None, alias="refId")
    phone: str | int | None = None
    id: str | int | None = None
    update: dict[str, Scalar] | None = None

    def fields(self) -> dict[str, Any]:
        """The fields as the handlers read them (Slack's names, absent ones left out)."""
        return self.model_dump(by_alias=True, exclude_none=True)


def _url(value: str | None) -> str | None:
    """A ``response_url`` must be a web address; Slack's are https."""
    if value is not None and not value.startswith(("https://", "http://")):
        raise ValueError("response_url is not a web address")
    return value


def carried(raw: str) -> Carried:
    """``raw`` read as a JSON object the bot carries; ``ValueError`` when it is not one."""
    try:
        decoded = json.loads(raw) if raw else {}
    except json.JSONDecodeError as error:
        raise ValueError("not JSON") from error
    if not isinstance(decoded, dict):
        raise ValueError("not a JSON object")
    return Carried.model_validate(decoded)


class Ref(_Model):
    """A user, channel or team as Slack refers to it."""

    id: SlackId = ""
    name: str = ""
    username: str = ""


class User(Ref):
    """The user who sent a request: every request a person makes names them."""

    id: UserId


class Option(_Model):
    value: str | None = None


class File(BaseModel):
    """A Slack file object of a ``file_input``; the import reads the rest of its fields."""

    model_config = ConfigDict(extra="allow", frozen=True)
    id: str = ""
    name: str | None = None


class Element(_Model):
    """One input element's state in a submitted modal."""

    type: str = ""
    value: str | None = None
    selected_option: Option | None = None
    files: list[File] | None = None

    def plain(self) -> Any:
        """The value as handlers read it: text, the chosen option's value, or the files."""
        if self.type in ("static_select", "radio_buttons", "external_select"):
            return self.selected_option.value if self.selected_option else None
        if self.type == "file_input":
            return [file.model_dump() for file in self.files or []]
        return self.value


class State(_Model):
    values: dict[str, dict[str, Element]] = {}


class View(_Model):
    id: str = ""
    callback_id: str = ""
    private_metadata: str = ""
    state: State = State()

    @property
    def meta(self) -> Carried:
        """What the bot carried in ``private_metadata`` (checked when the payload was read)."""
        return carried(self.private_metadata)

    def values(self) -> dict[str, Any]:
        """Each input block's value as plain data: text, selected option value, or files."""
        values: dict[str, Any] = {}
        for block_id, actions in self.state.values.items():
            element = actions.get("value") or next(iter(actions.values()), None)
            values[block_id] = element.plain() if element else None
        return values


class Action(_Model):
    action_id: str
    value: str | None = None
    selected_option: Option | None = None

    @property
    def raw_value(self) -> str:
        """The button's or select's value as Slack sent it."""
        return self.value or (self.selected_option.value if self.selected_option else None) or ""

    @property
    def carried(self) -> Carried | None:
        """The fields of a value that is a JSON object (``ValueError`` when they are wrong)."""
        value = self.raw_value
        if not value.startswith("{"):
            return None
        try:
            decoded = json.loads(value)
        except json.JSONDecodeError:
            return None  # a value that only looks like JSON is a plain value
        return Carried.model_validate(decoded) if isinstance(decoded, dict) else None

    def payload(self) -> dict[str, Any]:
        """The value as a payload; a JSON object value's fields merged in."""
        fields = self.carried
        return {"value": self.raw_value, **(fields.fields() if fields else {})}


class Container(_Model):
    message_ts: str | None = None


class SlashCommand(_Model):
    command: str
    text: str = ""
    user_id: UserId
    user_name: str = ""
    channel_id: SlackId = ""
    response_url: str | None = None
    trigger_id: str | None = None

    _response_url = field_validator("response_url")(_url)


class BlockActions(_Model):
    type: Literal["block_actions"]
    user: User
    channel: Ref | None = None
    container: Container | None = None
    actions: list[Action] = Field(min_length=1)
    view: View | None = None
    response_url: str | None = None
    trigger_id: str | None = None

    _response_url = field_validator("response_url")(_url)

    @property
    def action(self) -> Action:
        return self.actions[0]

    @field_validator("actions")
    @classmethod
    def _values_are_the_bots(cls, actions: list[Action]) -> list[Action]:
        actions[0].carried  # noqa: B018 - raises ValueError when its fields are wrong
        return actions

    @field_validator("view")
    @classmethod
    def _meta_is_an_object(cls, view: View | None) -> View | None:
        if view is not None:
            view.meta  # noqa: B018 - raises ValueError when it is not the bot's JSON
        return view


class ViewSubmission(_Model):
    type: Literal["view_submission"]
    user: User
    view: View
    trigger_id: str | None = None

    @field_validator("view")
    @classmethod
    def _meta_is_an_object(cls, view: View) -> View:
        view.meta  # noqa: B018 - raises ValueError when it is not the bot's JSON
        return view


class Event(_Model):
    type: str
    # An object in some event types (user_change); a user id in app_home_opened.
    user: Any = None

    @property
    def user_id(self) -> str:
        """The user the event is about, when it names one by id."""
        if isinstance(self.user, str) and self.user.isalnum() and self.user.isupper():
            return self.user
        return ""


class EventCallback(_Model):
    type: Literal["event_callback"]
    event: Event


class _InnerShape(BaseModel):
    """An event or view as far as Bolt looks into it while routing."""

    model_config = ConfigDict(extra="allow", frozen=True)
    type: str | None = None
    message: dict[str, Any] | None = None
    previous_message: dict[str, Any] | None = None
    callback_id: str | None = None
    private_metadata: str | None = None


class Shape(BaseModel):
    """What Bolt walks in any request while it routes it and builds a listener's arguments.

    (``slack_bolt.request.payload_utils``: ``body["actions"][0]``, ``body["view"]["type"]``,
    ``body["event"]["type"]``, ``"callback_id" in body["view"]``.)
    """

    model_config = ConfigDict(extra="allow", frozen=True)
    type: str | None = None
    event: _InnerShape | None = None
    view: _InnerShape | None = None
    actions: list[Action] | None = Field(default=None, min_length=1)
    # What bot.slack.unhandled reads to tell the user of an older button or form.
    user: Ref | None = None
    channel: Ref | None = None
    response_url: str | None = None
    action_id: str | None = None
    callback_id: str | None = None
    command: str | None = None

    _response_url = field_validator("response_url")(_url)


Payload = SlashCommand | BlockActions | ViewSubmission | EventCallback

_MODELS: dict[str, type[BlockActions | ViewSubmission | EventCallback]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
    "event_callback": EventCallback,
}


def read(body: dict[str, Any]) -> Payload | None:
    """The typed payload of a request the listeners take; None for other kinds.

    ``ValidationError`` (a ``ValueError``) when the body is of a kind the listeners take
    but its fields do not have Slack's types.
    """
    if "command" in body and "type" not in body:
        return SlashCommand.model_validate(body)
    Shape.model_validate(body)
    kind = body.get("type")
    model = _MODELS.get(kind) if isinstance(kind, str) else None
    return model.model_validate(body) if model is not None else None


# Why no more work should be acked now (for a channel, or at all); None when it may.
Busy = Callable[[str | None], str | None]
# Shows ``text`` on a ``response_url`` after the ack (starts the work, does not wait).
Tell = Callable[[str, str], None]


class ReadingApp(AsyncApp):
    """Bolt's ``AsyncApp`` that reads each request's payload before Bolt looks at it.

    Bolt walks a body (``body["actions"][0]``, the team, the user) while it routes a
    request and builds a listener's arguments, and raises on a body of the wrong shape;
    so the reading is done here, first, in HTTP and Socket Mode alike. (In HTTP mode the
    signature was checked over the raw bytes before: ``bot.slack.server``.)
    """

    reader: PayloadReader | None = None

    async def async_dispatch(self, req: AsyncBoltRequest) -> BoltResponse:
        if self.reader is not None:
            refused = self.reader.check(req)
            if refused is not None:
                return refused
        return await super().async_dispatch(req)


class PayloadReader:
    """Reads a request's payload into ``req.context["payload"]``, or answers it at once.

    ``msg(user)`` gives the catalog the user who sent the request reads (their id as the raw
    body gives it, "" when it names none); it must answer at once, from memory (an answer
    here is the ack: ``bot.languages.Languages.last_known``). ``tell(response_url, text)``
    shows a sentence after the ack.
    """

    def __init__(
        self,
        msg: Callable[[str], Messages],
        tell: Tell,
        busy: Busy | None = None,
        *,
        seal: Seal | None = None,
        forged: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.msg = msg
        self.tell = tell
        self.busy = busy
        self.seal = seal
        self.forged = forged
        self._busy_answers = 0
        self._busy_logged_at = -BUSY_LOG_EVERY

    def check(self, req: AsyncBoltRequest) -> BoltResponse | None:
        """None when the listeners may take ``req``; else the answer to send."""
        body = req.body
        if not isinstance(body, dict):
            log.info("a request whose body is not an object acked: nothing reads it")
            return BoltResponse(status=200, body="")
        if self.seal is not None and not self.seal.unseal(body):
            log.warning(
                "a %s request whose private_metadata callops did not seal refused: nothing done",
                _kind_of(body),
            )
            if self.forged is not None:
                self.forged(body)
            msg = self.msg(_user_of(body))
            return refusal(body, msg("request.forged"), msg("request.forged.title"), msg, self.tell)
        try:
            payload = read(body)
        except ValueError as error:
            return unreadable(body, error, self.msg(_user_of(body)), self.tell)
        req.context["payload"] = payload
        return self._busy(payload) if self.busy is not None else None

    def _busy(self, payload: Payload | None) -> BoltResponse | None:
        """The answer past the bound on acked work: never an ack of work that would wait."""
        assert self.busy is not None
        match payload:
            case SlashCommand(channel_id=channel, user_id=user):
                reason = self.busy(channel)
                if reason is None:
                    return None
                self._log_busy(reason)
                text = self.msg(user)("request.busy")
                return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
            case BlockActions(response_url=url):
                reason = self.busy(payload.channel.id if payload.channel else None)
                if reason is None:
                    return None
                self._log_busy(reason)
                if url:
                    self.tell(url, self.msg(payload.user.id)("request.busy"))
                return BoltResponse(status=200, body="")
            case EventCallback():
                reason = self.busy(None)
                if reason is None:
                    return None
                # Slack sends an event again later when it is not acked with a 2xx.
                self._log_busy(reason)
                return BoltResponse(status=503, body={"error": "busy", "reason": reason})
        return None

    def _log_busy(self, reason: str) -> None:
        # One line per BUSY_LOG_EVERY seconds, however many requests a flood sends.
        self._busy_answers += 1
        now = time.monotonic()
        if now - self._busy_logged_at >= BUSY_LOG_EVERY:
            log.warning(
                "busy: %d requests answered busy or 503 since the last line (%s)",
                self._busy_answers,
                reason,
            )
            self._busy_answers, self._busy_logged_at = 0, now


def unreadable(body: dict[str, Any], error: ValueError, msg: Messages, tell: Tell) -> BoltResponse:
    """The answer to a request of a kind the bot takes whose fields have the wrong types."""
    problem = _problem(error)
    log.info("a %s request with fields of the wrong type answered: %s", _kind_of(body), problem)
    return refusal(body, msg("request.unreadable"), msg("request.unreadable.title"), msg, tell)


def _user_of(body: dict[str, Any]) -> str:
    """The id of the user who sent a raw body (a command's ``user_id``, else ``user.id``)."""
    user = body.get("user_id") if "command" in body else body.get("user")
    if isinstance(user, dict):
        user = user.get("id")
    return user if isinstance(user, str) else ""


def _kind_of(body: dict[str, Any]) -> str:
    kind = body.get("type") if "type" in body else "command"
    return kind if isinstance(kind, str) else "?"


def refusal(body: dict[str, Any], text: str, title: str, msg: Messages, tell: Tell) -> BoltResponse:
    """``text`` where the person who sent ``body`` waits: the ack, the modal or response_url."""
    match _kind_of(body):
        case "command":
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
        case "view_submission":
            view = {
                "type": "modal",
                "title": {"type": "plain_text", "text": title},
                "close": {"type": "plain_text", "text": msg("stale.close")},
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
            }
            return BoltResponse(status=200, body={"response_action": "update", "view": view})
        case "block_actions":
            url = body.get("response_url")
            if isinstance(url, str) and url.startswith(("https://", "http://")):
                tell(url, text)
    return BoltResponse(status=200, body="")


def _problem(error: ValueError) -> str:
    """Where the body went wrong, without its values (they may be anything)."""
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['type']}" for e in error.errors()[:3]
        )
    return str(error)
