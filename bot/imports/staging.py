"""Uploads between preview and confirm: downloaded, read once for the preview, kept an hour.

A staged upload is a file in the staging directory plus a row in ``staged_uploads`` with the
preview's summary. Nothing is staged when the upload is refused. Confirming reads the file
again (``open_staged``); expired previews and their files are removed by ``cleanup``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Config
from bot.phones import PhoneFormat
from bot.store.jobs import JobStore
from bot.store.models import StagedUpload

from .download import fetch
from .model import ParseLimits, ParseSummary
from .parser import Upload, open_upload, parse_text, summarize
from .rules import FieldCheck, field_check

if TYPE_CHECKING:
    from bot.chat import Chat

TTL = timedelta(hours=1)
PASTE = "paste"


@dataclass(frozen=True, slots=True)
class Target:
    """Who staged the upload, where, and where it will go."""

    user_id: str
    channel: str
    connection: str
    campaign: str
    list_name: str | None
    phone_format: PhoneFormat


def staging_dir() -> Path:
    """Where staged files live (created on first use)."""
    path = Path(tempfile.gettempdir()) / "callops-uploads"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def limits(config: Config) -> ParseLimits:
    """The configured upload limits."""
    return ParseLimits(max_bytes=config.imports.max_bytes, max_rows=config.imports.max_rows)


def summary_data(summary: ParseSummary, source: str) -> dict[str, Any]:
    """The preview as JSON-ready data (stored with the staged upload, rendered by the modal)."""
    columns = summary.columns
    return {
        "source": source,
        "kind": summary.kind,
        "encoding": summary.encoding,
        "delimiter": summary.delimiter,
        "columns": {
            "has_header": columns.has_header,
            "phone": columns.phone,
            "name": columns.name,
            "fields": list(columns.fields),
        },
        "rows_read": summary.rows_read,
        "valid": summary.valid,
        "invalid": summary.invalid,
        "duplicates": summary.duplicates,
        "invalid_samples": [
            [p.line, p.raw_phone, p.reason, p.name, p.value] for p in summary.invalid_samples
        ],
        "duplicate_samples": [[d.line, d.phone, d.first_line] for d in summary.duplicate_samples],
    }


async def stage_file(
    chat: Chat, store: JobStore, target: Target, file: dict[str, Any], config: Config, now: datetime
) -> StagedUpload:
    """Download a Slack file, read it through once, and stage it; raises ``ParseRefused``."""
    name = str(file.get("name") or file.get("title") or "upload")
    staged_id = uuid.uuid4().hex
    dest = staging_dir() / f"{staged_id}{Path(name).suffix.lower()[:8]}"
    try:
        await fetch(chat, file, dest, limits(config))
        check = field_check(config.connections[target.connection].provider)
        summary = await asyncio.to_thread(_read_file, dest, name, limits(config), target, check)
    except BaseException:
        remove_file(str(dest))
        raise
    return await _stage(store, staged_id, target, dest, name, summary_data(summary, "file"), now)


async def stage_paste(
    store: JobStore, target: Target, text: str, config: Config, now: datetime, name: str
) -> StagedUpload:
    """Read a pasted list through once and stage it; raises ``ParseRefused``."""
    staged_id = uuid.uuid4().hex
    dest = staging_dir() / f"{staged_id}.txt"

    check = field_check(config.connections[target.connection].provider)

    def read() -> ParseSummary:
        upload = parse_text(text, limits=limits(config))
        summary = summarize(upload, target.phone_format, check)
        dest.write_text(text, encoding="utf-8")
        return summary

    summary = await asyncio.to_thread(read)
    return await _stage(store, staged_id, target, dest, name, summary_data(summary, PASTE), now)


def open_staged(staged: StagedUpload, parse_limits: ParseLimits) -> Upload:
    """The staged file, ready to be read again on confirm."""
    if (staged.summary or {}).get("source") == PASTE:
        return parse_text(Path(staged.path).read_text(encoding="utf-8"), limits=parse_limits)
    return open_upload(staged.path, staged.filename, limits=parse_limits)


async def cleanup(store: JobStore, now: datetime) -> int:
    """Remove expired previews and stray files; returns how many previews expired."""
    expired = await store.expired_staged(now)
    await asyncio.to_thread(_remove_files, [staged.path for staged in expired])
    await store.drop_staged(s.id for s in expired)
    return len(expired)


def _remove_files(paths: list[str]) -> None:
    """Delete the files of expired previews, and stray files (a crash between download and
    stage, so their row was never written)."""
    for path in paths:
        remove_file(path)
    horizon = time.time() - 2 * TTL.total_seconds()
    for stray in staging_dir().iterdir():
        try:
            if stray.stat().st_mtime < horizon:
                stray.unlink()
        except OSError:
            continue


def remove_file(path: str) -> None:
    """Delete a staged file if it is still there."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _read_file(
    path: Path, name: str, parse_limits: ParseLimits, target: Target, check: FieldCheck | None
) -> ParseSummary:
    return summarize(open_upload(path, name, limits=parse_limits), target.phone_format, check)


async def _stage(
    store: JobStore,
    staged_id: str,
    target: Target,
    path: Path,
    name: str,
    summary: dict[str, Any],
    now: datetime,
) -> StagedUpload:
    staged = StagedUpload(
        id=staged_id,
        user_id=target.user_id,
        channel=target.channel,
        connection=target.connection,
        campaign=target.campaign,
        list_name=target.list_name,
        path=str(path),
        filename=name[:255],
        summary=summary,
        created_at=now,
        expires_at=now + TTL,
    )
    try:
        await store.stage(staged)
    except BaseException:
        remove_file(str(path))
        raise
    return staged
