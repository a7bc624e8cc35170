"""CSV exports of call records (AICallCenter) and of a contact list (Alohub), streamed.

Rows are written to a temporary file page by page as the provider's pages arrive: one
page alive at a time, so memory stays flat however many records there are. The file is
UTF-8 with a BOM (``utf-8-sig``) so Excel opens the Vietnamese text correctly. Writing
happens in a worker thread (``asyncio.to_thread``), never on the event loop.

If a page fails, the half-written file is deleted and the error goes up: nothing partial
is ever handed to the caller as if it were complete.
"""

from __future__ import annotations

import asyncio
import csv
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from bot.providers.aicallcenter import MAX_LIMIT, AICallCenterClient, Call
from bot.providers.alohub import AlohubClient, CampaignContact
from bot.stats import Period

__all__ = ["CONTACT_PAGE", "Export", "call_row", "contact_row", "export_calls", "export_list"]

OnProgress = Callable[[int, int], Awaitable[None]]
Row = Sequence[object]
# Alohub documents no maximum page size; 100 is what the client uses by default.
CONTACT_PAGE = 100
# seed aicallcenter-api.txt:187 'called_at: "2020-01-31 10:16:44"' (no zone given);
# PROVIDERS.md §3 reads it as local time, Asia/Ho_Chi_Minh.
PROVIDER_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(slots=True)
class Export:
    """A finished CSV: where it is and how many data rows it holds."""

    path: Path
    rows: int
    total: int

    def discard(self) -> None:
        """Remove the file (after upload, or when it was not wanted)."""
        self.path.unlink(missing_ok=True)


class _CsvFile:
    """A temporary UTF-8-with-BOM CSV written from a worker thread."""

    def __init__(self, prefix: str) -> None:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=".csv")
        os.close(handle)
        self.path = Path(name)
        self._file: IO[str] | None = None
        self.rows = 0

    async def open(self, header: Row) -> None:
        def start() -> None:
            # newline="" as the csv module asks; "utf-8-sig" writes the BOM Excel needs.
            self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            csv.writer(self._file).writerow(header)

        await asyncio.to_thread(start)

    async def write(self, rows: list[Row]) -> None:
        file = self._file
        assert file is not None
        await asyncio.to_thread(csv.writer(file).writerows, rows)
        self.rows += len(rows)

    async def close(self) -> None:
        if self._file is not None:
            await asyncio.to_thread(self._file.close)
            self._file = None

    async def abandon(self) -> None:
        await self.close()
        await asyncio.to_thread(self.path.unlink, True)


def local_time(called_at: str, tz: ZoneInfo) -> str:
    """The provider's Vietnam-time stamp in the configured zone (unchanged if unreadable)."""
    try:
        stamp = datetime.strptime(called_at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=PROVIDER_TZ)
    except ValueError:
        return called_at
    return stamp.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def call_row(call: Call, tz: ZoneInfo, result: Callable[[int | None], str]) -> Row:
    """One call as a CSV row (see ``CALL_COLUMNS`` in the command for the headers)."""
    extra = call.model_extra or {}
    return (
        local_time(call.called_at, tz),
        call.call_id,
        extra.get("campaign_id", ""),
        call.caller_id,
        call.callee_id,
        call.duration,
        result(call.state),
        "" if call.state is None else call.state,
        call.key_press,
        call.note,
    )


def contact_row(contact: CampaignContact, status: Callable[[int], str]) -> Row:
    """One list contact as a CSV row."""
    return (
        contact.contact_id,
        "" if contact.customer_id is None else contact.customer_id,
        contact.phone_number,
        contact.name or "",
        status(contact.process_status),
        contact.process_status,
        contact.call_status or "",
    )


async def export_calls(
    client: AICallCenterClient,
    period: Period,
    header: Row,
    to_row: Callable[[Call], Row],
    *,
    campaign: str | None = None,
    on_progress: OnProgress | None = None,
    page_size: int = MAX_LIMIT,
) -> Export:
    """Every call of ``period`` (of ``campaign`` when given) written to a CSV file."""
    out = _CsvFile("callops-calls-")
    total = 0
    try:
        await out.open(header)
        # As /calls does: the provider does not say whether end_time is inclusive, and its
        # records carry whole seconds, so end - 1 ms keeps midnight out of the day before.
        end = period.end_ms - 1
        if end >= period.start_ms:
            pages = client.iter_call_pages(campaign, period.start_ms, end, limit=page_size)
            async for page in pages:
                total = max(total, page.total)
                await out.write([to_row(call) for call in page.calls])
                if on_progress is not None:
                    await on_progress(out.rows, max(total, out.rows))
                del page  # not kept while the next page is fetched
        await out.close()
    except BaseException:
        await out.abandon()
        raise
    return Export(out.path, out.rows, max(total, out.rows))


async def export_list(
    client: AlohubClient,
    campaign: str,
    list_id: str,
    header: Row,
    to_row: Callable[[CampaignContact], Row],
    *,
    on_progress: OnProgress | None = None,
    page_size: int = CONTACT_PAGE,
) -> Export:
    """Every contact of an Alohub list (all pages) written to a CSV file."""
    out = _CsvFile("callops-contacts-")
    total = 0
    try:
        await out.open(header)
        index = 0
        while True:
            page = await client.contacts_page(campaign, list_id, index, page_size)
            total = max(total, page.total or 0)
            await out.write([to_row(contact) for contact in page.items])
            if on_progress is not None:
                await on_progress(out.rows, max(total, out.rows))
            if not page.items or not page.has_next:
                break
            index += 1
            del page
        await out.close()
    except BaseException:
        await out.abandon()
        raise
    return Export(out.path, out.rows, max(total, out.rows))


def read_rows(path: Path) -> Iterable[list[str]]:
    """The rows of an export (tests and the bench read files back with this)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        yield from csv.reader(file)
