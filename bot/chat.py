"""The port through which work that outlives a request talks to the chat (Slack or console).

Job progress, summaries and audit copies are posted through a ``Chat``; the Slack
implementation wraps ``AsyncWebClient``, the console one prints. Handlers answering a
request return a ``bot.replies.Reply`` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from bot.replies import Blocks


class DownloadRefused(PermissionError):
    """A file URL points where the bot token must not be sent; ``args[0]`` says where.

    Outside ``bot.errors`` (this, its subclasses and ``FileTooLarge``): the ``Chat``
    port's answers to its one caller, ``bot.imports.download``, which turns each into the
    ``ParseRefused`` (a ``UserInputError``) the user reads.
    """


class DownloadRedirected(DownloadRefused):
    """The file host answered with a redirect (to ``args[0]``), which is never followed."""


class DownloadDenied(DownloadRefused):
    """The file host answered with an HTTP error status (``args[0]``) instead of the file."""


class FileTooLarge(ValueError):
    """A download passed the upload limit (outside ``bot.errors``: see ``DownloadRefused``)."""


class ChatUnavailable(ConnectionError):
    """The chat did not take a message this time and may take it later: rate limited
    (``retry_after`` seconds, from the chat's own answer), a server error, or no answer.

    Outside ``bot.errors`` (see ``DownloadRefused``): the port's answer to the outbox
    (``bot.outbox``), which sends the message again; nobody is told in words.
    """

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Undelivered(RuntimeError):
    """The outbox gave up on a message (``args[0]`` says why); the row stays in the database.

    Outside ``bot.errors`` (see ``DownloadRefused``): the outbox's answer to the one waiting
    for a post (a job's card, an alert), which logs it and carries on; nobody is told in
    words, since the chat itself is what failed.
    """


class Chat(Protocol):
    """What the bot may do in the chat outside a request/response."""

    async def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        *,
        key: str | None = None,
    ) -> str:
        """Post a message; returns its ts. ``key`` names a message that must exist once (a
        job's card): posting the same key again gives that message, showing the new words."""
        ...

    async def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        """Replace a message posted before."""
        ...

    async def upload(
        self,
        channel: str,
        filename: str,
        content: bytes | Path,
        *,
        title: str = "",
        thread_ts: str | None = None,
        comment: str | None = None,
    ) -> None:
        """Upload a file into a channel (or a thread): bytes, or a file on disk (streamed)."""
        ...

    async def ephemeral(
        self, channel: str, user: str, text: str, blocks: Blocks | None = None
    ) -> None:
        """Show a message to one user in a channel."""
        ...

    async def user_email(self, user_id: str) -> str | None:
        """The user's email when the workspace shares it."""
        ...

    async def user_locale(self, user_id: str) -> str | None:
        """The user's locale (``vi-VN``, ``en-US``) when the chat has one; raises when it
        cannot answer now."""
        ...

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        """Replace an open modal."""
        ...

    async def download(self, url: str, dest: Path) -> int:
        """Save a file the user shared to ``dest`` (only from the chat's own hosts)."""
        ...

    async def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        """Publish a user's Home tab."""
        ...

    async def member_channels(self, user_id: str) -> frozenset[str] | None:
        """The channels the user is in; None when the chat cannot tell."""
        ...


class NullChat:
    """A chat that drops everything (tests of pure logic, `callops check`)."""

    async def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        *,
        key: str | None = None,
    ) -> str:
        """Drop the message."""
        return "0"

    async def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        """Drop the update."""

    async def upload(
        self,
        channel: str,
        filename: str,
        content: bytes | Path,
        *,
        title: str = "",
        thread_ts: str | None = None,
        comment: str | None = None,
    ) -> None:
        """Drop the file."""

    async def ephemeral(
        self, channel: str, user: str, text: str, blocks: Blocks | None = None
    ) -> None:
        """Drop the message."""

    async def user_email(self, user_id: str) -> str | None:
        """Nobody has an email here."""
        return None

    async def user_locale(self, user_id: str) -> str | None:
        """Nobody has a locale here."""
        return None

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        """Drop the view."""

    async def download(self, url: str, dest: Path) -> int:
        """Nothing can be downloaded."""
        raise PermissionError(url)

    async def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        """Drop the view."""

    async def member_channels(self, user_id: str) -> frozenset[str] | None:
        """Nobody is anywhere here."""
        return None
