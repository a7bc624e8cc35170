"""The ``Chat`` port for the console: posts and updates are printed, uploads saved to disk."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bot.chat import DownloadRefused, FileTooLarge
from bot.console.screen import Screen
from bot.messages import Messages
from bot.replies import Blocks


def human_size(size: int) -> str:
    """``1536`` → ``1.5 KB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class ConsoleChat:
    """What background work says in the chat, printed where the console user sees it."""

    def __init__(
        self,
        screen: Screen,
        msg: Messages,
        *,
        files_dir: Path | None = None,
        max_download: int = 10 * 1024 * 1024,
    ) -> None:
        self.screen = screen
        self.msg = msg
        self.max_download = max_download
        self._files_dir = files_dir
        self._ts = itertools.count(1)
        self._shared: set[Path] = set()
        self._views: dict[str, dict[str, Any]] = {}
        self.view_arrived = asyncio.Event()

    # Messages

    async def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        *,
        key: str | None = None,
    ) -> str:
        """Print a message posted in a channel; returns a made-up ts (one process, nothing
        to resume: a ``key`` changes nothing)."""
        ts = f"{1_700_000_000 + next(self._ts)}.000100"
        said = "console.posted_thread" if thread_ts else "console.posted"
        note = self.msg(said, channel=f"#{channel}")
        self.screen.show(text, blocks, channel=channel, message_ts=ts, note=note)
        return ts

    async def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        """Print the new version of a message."""
        note = self.msg("console.updated", channel=f"#{channel}")
        self.screen.show(text, blocks, channel=channel, message_ts=ts, note=note)

    async def ephemeral(
        self, channel: str, user: str, text: str, blocks: Blocks | None = None
    ) -> None:
        """Print a message only the console user would see."""
        self.screen.show(text, blocks, channel=channel, note=self.msg("console.only_you"))

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
        """Save the file under a temporary folder and say where."""
        if comment:
            await self.post(channel, comment, thread_ts=thread_ts)
        if isinstance(content, Path):
            content = await asyncio.to_thread(content.read_bytes)
        path = self.save(filename, content)
        self.screen.write(
            self.msg(
                "console.file_saved", filename=filename, size=human_size(len(content)), path=path
            )
            + "\n"
        )

    def save(self, filename: str, content: bytes) -> Path:
        """Write ``content`` as ``filename`` in the files folder (never over an earlier file)."""
        if self._files_dir is None:
            # Kept after exit on purpose: the user opens these files once the console is gone.
            self._files_dir = Path(tempfile.mkdtemp(prefix="callops-files-"))
        self._files_dir.mkdir(parents=True, exist_ok=True)
        name = Path(filename).name or "file"
        path = self._files_dir / name
        for n in itertools.count(2):
            if not path.exists():
                break
            path = self._files_dir / f"{Path(name).stem}-{n}{Path(name).suffix}"
        path.write_bytes(content)
        return path

    async def user_email(self, user_id: str) -> str | None:
        """The console knows no email addresses."""
        return None

    async def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        """The console has no Home tab: the view is dropped."""

    async def member_channels(self, user_id: str) -> frozenset[str] | None:
        """The console has no channel membership to tell."""
        return None

    async def user_locale(self, user_id: str) -> str | None:
        """The console's seat has no Slack locale (its language is ``--language``)."""
        return None

    # Modals

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        """Hand a replaced modal to the session, which asks its questions next."""
        self._views[view_id] = view
        self.view_arrived.set()

    def take_view(self, view_id: str) -> dict[str, Any] | None:
        """The latest replacement of modal ``view_id`` not yet shown, if any."""
        return self._views.pop(view_id, None)

    def has_view(self, view_id: str) -> bool:
        """True when modal ``view_id`` was replaced by background work."""
        return view_id in self._views

    # Files the user picks in a form

    def share(self, path: Path) -> dict[str, Any]:
        """A Slack-like file object for a local file the user named in a ``file_input``."""
        path = path.resolve()
        self._shared.add(path)
        return {
            "id": f"F0CONSOLE{len(self._shared)}",
            "name": path.name,
            "title": path.name,
            "filetype": path.suffix.lstrip(".").lower(),
            "size": path.stat().st_size,
            "url_private": path.as_uri(),
            "url_private_download": path.as_uri(),
        }

    async def download(self, url: str, dest: Path) -> int:
        """Copy a file the user picked in this console; anything else is refused."""
        return await asyncio.to_thread(self._copy, url, dest)

    def _copy(self, url: str, dest: Path) -> int:
        parts = urlsplit(url)
        source = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if source is None or source not in self._shared:
            raise DownloadRefused(parts.hostname or url[:40])
        size = source.stat().st_size
        if size > self.max_download:
            raise FileTooLarge(size)
        shutil.copyfile(source, dest)
        return size
