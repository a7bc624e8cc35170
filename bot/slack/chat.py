"""The ``Chat`` port on Slack's Web API (``SLACK_API_URL``), and safe file downloads."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat import ChatUnavailable, DownloadDenied, DownloadRedirected, FileTooLarge
from bot.providers.retry import parse_retry_after
from bot.render.blocks import message_text
from bot.replies import Blocks
from bot.slack.origins import allowed_origins, origin_of, token_url
from bot.slack.sealing import Seal

log = logging.getLogger(__name__)
UPLOAD_CHUNK = 64 * 1024
MEMBER_PAGE = 1000  # users.conversations' largest page
ANSWER_TIMEOUT = aiohttp.ClientTimeout(total=30.0)


class SlackChat:
    """Posts, updates, uploads and downloads through one ``AsyncWebClient``."""

    def __init__(self, client: AsyncWebClient, *, max_download: int = 10 * 1024 * 1024) -> None:
        self.client = client
        # Every view's private_metadata leaves sealed with a key of the bot token's.
        self.seal = Seal(client.token or "")
        self.max_download = max_download
        self.token_origins = allowed_origins(client.base_url)
        self._responses: httpx.AsyncClient | None = None
        self._answers: aiohttp.ClientSession | None = None

    async def respond(self, response_url: str, payload: dict[str, Any]) -> None:
        """POST a reply to a request's ``response_url`` on pooled connections.

        Bolt's ``respond`` opens a new HTTP session (and TCP connection) per call; a
        command answers once or twice, so pooling here halves the CPU of an answer. The
        pool is aiohttp's (slack_sdk's Web API client is aiohttp too): an answer costs
        0.2 ms of CPU there against 1.5 ms on httpx's pool (bench/RESULTS.md, *Load*), the
        largest share of a command's CPU under load.
        """
        if self._answers is None:
            self._answers = aiohttp.ClientSession(timeout=ANSWER_TIMEOUT)
        if isinstance(payload.get("text"), str):
            payload = {**payload, "text": message_text(payload["text"])}
        async with self._answers.post(response_url, json=payload, allow_redirects=False) as answer:
            await answer.read()
            if answer.status >= 400:
                log.warning("response_url answered HTTP %s", answer.status)

    async def aclose(self) -> None:
        """Close the pooled connections."""
        if self._answers is not None:
            await self._answers.close()
            self._answers = None
        if self._responses is not None:
            await self._responses.aclose()
            self._responses = None

    async def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        *,
        key: str | None = None,
    ) -> str:
        """Post a message in a channel; returns its ts. Straight to Slack: a ``key`` is the
        outbox's business (``bot.outbox``), which calls this. ``ChatUnavailable`` when Slack
        may take it later (its client already waited out ``Retry-After`` a few times)."""
        with _unavailable():
            response = await self.client.chat_postMessage(
                channel=channel, text=message_text(text), blocks=blocks, thread_ts=thread_ts
            )
        return str(response["ts"])

    async def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        """Replace a message (``ChatUnavailable`` as ``post``)."""
        with _unavailable():
            await self.client.chat_update(
                channel=channel, ts=ts, text=message_text(text), blocks=blocks
            )

    async def ephemeral(
        self, channel: str, user: str, text: str, blocks: Blocks | None = None
    ) -> None:
        """Show a message to one user in a channel."""
        await self.client.chat_postEphemeral(
            channel=channel, user=user, text=message_text(text), blocks=blocks
        )

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
        """Upload a file with the files_upload_v2 flow; a file on disk is streamed.

        slack_sdk's ``files_upload_v2`` reads a whole file into memory; an export of
        200,000 calls is tens of MB, so a ``Path`` goes through the same three steps
        (getUploadURLExternal, POST the bytes, completeUploadExternal) in 64 KiB chunks.
        """
        if isinstance(content, bytes):
            await self.client.files_upload_v2(
                channel=channel,
                filename=filename,
                content=content,
                title=title or filename,
                thread_ts=thread_ts,
                initial_comment=comment,
            )
            return
        size = (await asyncio.to_thread(content.stat)).st_size
        ticket = await self.client.files_getUploadURLExternal(filename=filename, length=size)
        await self._post_file(str(ticket["upload_url"]), content, size)
        await self.client.files_completeUploadExternal(
            files=[{"id": str(ticket["file_id"]), "title": title or filename}],
            channel_id=channel,
            thread_ts=thread_ts,
            initial_comment=comment,
        )

    async def _post_file(self, url: str, path: Path, size: int) -> None:
        """POST a file's bytes to Slack's upload URL without holding the file in memory."""

        async def chunks() -> AsyncIterator[bytes]:
            file = await asyncio.to_thread(path.open, "rb")
            try:
                while chunk := await asyncio.to_thread(file.read, UPLOAD_CHUNK):
                    yield chunk
            finally:
                await asyncio.to_thread(file.close)

        if self._responses is None:
            self._responses = httpx.AsyncClient(timeout=30.0, follow_redirects=False)
        response = await self._responses.post(
            url, content=chunks(), headers={"Content-Length": str(size)}, timeout=120.0
        )
        if response.status_code >= 400:
            raise SlackApiError(f"file upload answered HTTP {response.status_code}", response)

    async def user_email(self, user_id: str) -> str | None:
        """The user's email (needs users:read.email), or None."""
        try:
            response = await self.client.users_info(user=user_id)
        except SlackApiError:
            return None
        user: dict[str, Any] = response.get("user") or {}
        return (user.get("profile") or {}).get("email")

    async def user_locale(self, user_id: str) -> str | None:
        """The user's Slack locale (``vi-VN``, ``en-US``); None for a user Slack does not know."""
        try:
            response = await self.client.users_info(user=user_id, include_locale=True)
        except SlackApiError as error:
            if error.response.get("error") == "user_not_found":
                return None
            raise
        locale = (response.get("user") or {}).get("locale")
        return locale if isinstance(locale, str) else None

    async def open_view(self, trigger_id: str, view: dict[str, Any]) -> str:
        """Open a modal; returns the view id."""
        response = await self.client.views_open(trigger_id=trigger_id, view=self.seal.view(view))
        return str(response["view"]["id"])

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        """Replace an open modal."""
        await self.client.views_update(view_id=view_id, view=self.seal.view(view))

    async def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        """Publish a user's App Home."""
        await self.client.views_publish(user_id=user_id, view=self.seal.view(view))

    async def member_channels(self, user_id: str) -> frozenset[str] | None:
        """The public and private channels the user is in that the bot can see
        (``users.conversations``, every page). Raises ``SlackApiError`` (a missing scope)."""
        found: set[str] = set()
        cursor: str | None = None
        while True:
            response = await self.client.users_conversations(
                user=user_id,
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=MEMBER_PAGE,
                cursor=cursor,
            )
            found.update(str(item["id"]) for item in response.get("channels") or [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return frozenset(found)

    async def download(self, url: str, dest: Path) -> int:
        """Stream a shared file to ``dest`` with the bot token, only from where Slack serves it.

        The token goes only to the origins ``bot.slack.origins`` allows, and redirects are not
        followed: a redirect could carry the token to another host. Returns the size; raises
        ``DownloadRefused`` (or its ``DownloadRedirected`` / ``DownloadDenied``) or
        ``FileTooLarge``.
        """
        target = token_url(url, self.token_origins)
        headers = {"Authorization": f"Bearer {self.client.token}"}
        size = 0
        async with (
            httpx.AsyncClient(timeout=30.0, follow_redirects=False) as http,
            http.stream("GET", target, headers=headers) as response,
        ):
            if response.is_redirect:
                raise DownloadRedirected(_where(response.url, response.headers.get("Location", "")))
            if response.status_code != 200:
                raise DownloadDenied(response.status_code)
            with dest.open("wb") as out:
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_download:
                        raise FileTooLarge(size)
                    out.write(chunk)
        return size


# Slack's own words for a failure on its side that a later try may not meet.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


@contextmanager
def _unavailable() -> Iterator[None]:
    """Turn Slack's "not now" answers into the port's ``ChatUnavailable``; others pass."""
    try:
        yield
    except SlackApiError as error:
        status = getattr(error.response, "status_code", 200)
        code = str(error.response.get("error") or "") if error.response is not None else ""
        if status == 429 or code == "ratelimited":
            headers = getattr(error.response, "headers", None) or {}
            after = parse_retry_after(_header(headers, "retry-after"))
            raise ChatUnavailable(f"HTTP {status} {code}".strip(), after) from error
        if status >= 500 or code in TRANSIENT_ERRORS:
            raise ChatUnavailable(f"HTTP {status} {code}".strip()) from error
        raise
    except (aiohttp.ClientError, TimeoutError) as error:
        raise ChatUnavailable(type(error).__name__) from error


def _header(headers: Any, name: str) -> str | None:
    """A header whatever its case; slack_sdk keeps each as a list of values."""
    for key, value in dict(headers).items():
        if key.lower() == name:
            return str(value[0] if isinstance(value, list) and value else value)
    return None


def _where(base: httpx.URL, location: str) -> str:
    """The origin a redirect pointed at, for the operator's sentence."""
    try:
        return str(origin_of(base.join(location)))
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return location[:60].replace("`", "'")
