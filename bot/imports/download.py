"""Fetch the file a user attached in the import modal, through the chat's safe download.

The chat port sends the bot token only to Slack's file host or the origin of
``SLACK_API_URL`` and never follows redirects; here its failures become refusals the modal
explains (``import.<reason>``), and the declared size is checked before anything is fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from bot.chat import DownloadDenied, DownloadRedirected, DownloadRefused, FileTooLarge

from .model import TOO_LARGE, ParseLimits, ParseRefused

if TYPE_CHECKING:
    from bot.chat import Chat

DOWNLOAD_REFUSED = "download_refused"
DOWNLOAD_REDIRECTED = "download_redirected"
DOWNLOAD_DENIED = "download_denied"
DOWNLOAD_FAILED = "download_failed"
NO_FILE = "no_file"


async def fetch(chat: Chat, file: Mapping[str, Any], dest: Path, limits: ParseLimits) -> int:
    """Save the Slack file ``file`` to ``dest``; returns its size or raises ``ParseRefused``."""
    size = file.get("size")
    if isinstance(size, int) and size > limits.max_bytes:
        raise ParseRefused(TOO_LARGE, limit=limits.max_bytes, size=size)
    url = file.get("url_private_download") or file.get("url_private")
    if not isinstance(url, str) or not url:
        raise ParseRefused(NO_FILE)
    try:
        return await chat.download(url, dest)
    except FileTooLarge as exc:
        raise ParseRefused(TOO_LARGE, limit=limits.max_bytes, size=exc.args[0]) from exc
    except DownloadRedirected as exc:
        raise ParseRefused(DOWNLOAD_REDIRECTED, where=exc.args[0]) from exc
    except DownloadDenied as exc:
        raise ParseRefused(DOWNLOAD_DENIED, status=exc.args[0]) from exc
    except DownloadRefused as exc:  # an address that must not see the token
        raise ParseRefused(DOWNLOAD_REFUSED, where=exc.args[0] if exc.args else "?") from exc
    except (httpx.HTTPError, OSError) as exc:
        raise ParseRefused(DOWNLOAD_FAILED) from exc
