"""What a handler returns: data the Slack layer or the console delivers.

Handlers never call Slack themselves; they return one of these and the delivery code
(``bot.slack.delivery`` or ``bot.console``) turns it into Web API calls or text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Blocks = list[dict[str, Any]]


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (uploaded in its thread)."""

    filename: str
    content: bytes
    title: str = ""


@dataclass(frozen=True)
class Message:
    """A message: ephemeral to the caller (default) or posted in the channel."""

    text: str
    blocks: Blocks = field(default_factory=list)
    ephemeral: bool = True
    replace_original: bool = False
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class OpenModal:
    """Open a modal (needs the request's trigger id)."""

    view: dict[str, Any]


@dataclass(frozen=True)
class UpdateModal:
    """Replace the submitted modal's content (``response_action: update``)."""

    view: dict[str, Any]


@dataclass(frozen=True)
class PushModal:
    """Show a new modal on top of the submitted one."""

    view: dict[str, Any]


@dataclass(frozen=True)
class ModalErrors:
    """Show errors next to the named input blocks (``response_action: errors``)."""

    errors: dict[str, str]


@dataclass(frozen=True)
class CloseModal:
    """Close the modal, optionally telling the user something in the channel."""

    then: Message | None = None


@dataclass(frozen=True)
class NoReply:
    """Nothing to send (the work reports by itself, e.g. a job's progress message)."""


Reply = Message | OpenModal | UpdateModal | PushModal | ModalErrors | CloseModal | NoReply
