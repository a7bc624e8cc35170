"""What a handler gets besides its arguments: the caller, the channel, the connection."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.access import Role
from bot.errors import UnsupportedOperation
from bot.messages import Language, Messages
from bot.providers.base import ProviderClient
from bot.replies import Message
from bot.services import Services

C = TypeVar("C", bound=ProviderClient)
# Shows a progress sentence in place of the caller's reply, before the reply replaces it.
ProgressHook = Callable[[str], Awaitable[None]]
# Work a handler leaves for after its reply; returns what to tell the user (None: nothing).
AfterWork = Callable[[], Awaitable[Message | None]]
# Tells the user a failure of that work, when an ephemeral sentence is not the way.
FailureHook = Callable[[Exception, str], Awaitable[None]]


@dataclass(frozen=True)
class Later:
    """The work after the reply (``Ctx.after_reply``), run by ``bot.middleware.audit``."""

    work: AfterWork
    name: str
    tell_failure: FailureHook | None = None


@dataclass(frozen=True)
class Request:
    """A slash command, button press or modal submission, as far as handlers care."""

    user_id: str
    channel_id: str
    command: str = ""
    text: str = ""
    user_name: str = ""
    trigger_id: str | None = None
    view_id: str | None = None
    message_ts: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    progress: ProgressHook | None = field(default=None, compare=False, repr=False)


@dataclass
class Ctx:
    """The resolved request: services, caller, role, and (when needed) the connection."""

    services: Services
    request: Request
    role: Role = Role.STRANGER
    connection: str | None = None
    allowed: tuple[str, ...] = ()
    later: Later | None = None
    # Set by the language middleware: the caller's, and the channel's (None: the default).
    language: Language | None = None
    channel_language: Language | None = None
    # A failure the reply tells in its own words (the audit records it, not "ok").
    failure: tuple[str, str] | None = None

    def failed(self, outcome: str, detail: str) -> None:
        """The reply tells a failure itself: audit the request as ``outcome`` with ``detail``."""
        self.failure = (outcome, detail)

    def after_reply(
        self, work: AfterWork, *, name: str, tell_failure: FailureHook | None = None
    ) -> None:
        """Run ``work`` once the reply has gone (the modal closed, the command acked).

        Its failure becomes the operator's sentence (an ephemeral message, or
        ``tell_failure``); the audit entry waits for it, so it records the real outcome and
        how long the whole request took.
        """
        if self.later is not None:
            raise RuntimeError(f"{self.later.name}: one piece of work after a reply")
        self.later = Later(work, name, tell_failure)

    @property
    def msg(self) -> Messages:
        """The catalog in the caller's language: for what only the caller sees (ephemeral
        replies, modals)."""
        return Messages(self.language or self.services.languages.default)

    @property
    def channel_msg(self) -> Messages:
        """The catalog in the channel's language: for a reply posted for everyone there."""
        return Messages(self.channel_language or self.services.languages.default)

    @property
    def user_id(self) -> str:
        """The caller's Slack user id."""
        return self.request.user_id

    @property
    def channel_id(self) -> str:
        """The channel the request came from."""
        return self.request.channel_id

    @property
    def client(self) -> ProviderClient:
        """The client of the resolved connection."""
        if self.connection is None:
            raise RuntimeError("this command declared no connection")
        return self.services.clients[self.connection]

    def client_as(self, kind: type[C], operation: str) -> C:
        """The resolved client when it is of ``kind``; else say which providers can."""
        client = self.client
        if not isinstance(client, kind):
            raise UnsupportedOperation(
                operation, client.name, client.provider, (getattr(kind, "provider", "?"),)
            )
        return client
