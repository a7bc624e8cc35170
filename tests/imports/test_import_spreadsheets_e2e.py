"""An .ods upload end to end over signed HTTP: preview, confirm, the rows at the provider."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import bot.imports.parser as parser
from tests.jobs.e2e import confirm, finished_job, import_file, running_bot, view_text
from tests.jobs.providers import at_provider

FIXTURES = Path(__file__).parent / "fixtures"


async def test_ods_upload_named_xlsx_is_read_off_the_event_loop_and_imported(
    sandbox: Any, tmp_path: Any, monkeypatch: Any
):
    loops_seen: list[bool] = []
    read_sheet = parser._sheet_lines

    def watched(fh: Any, field: str) -> Any:
        try:
            asyncio.get_running_loop()
            loops_seen.append(True)
        except RuntimeError:
            loops_seen.append(False)
        return read_sheet(fh, field)

    monkeypatch.setattr(parser, "_sheet_lines", watched)
    content = (FIXTURES / "list.ods").read_bytes()
    async with running_bot(sandbox, tmp_path) as h:
        # The name says Excel; the bytes say OpenDocument, and the bytes decide.
        view = await import_file(h, "vbee", content, "danh sách.xlsx")
        text = view_text(view)
        assert view["callback_id"] == "import_confirm", text
        assert "OpenDocument spreadsheet (first sheet)" in text
        assert "5 rows read" in text and "3 valid" in text and "1 invalid" in text
        assert "Line 6: `n/a`" in text and "not a phone number" in text
        assert "phone = *Số điện thoại*" in text and "name = *Họ và tên*" in text

        await confirm(h, view)
        job = await finished_job(h)
        assert job.state == "done" and job.source == "danh sách.xlsx"
        held = at_provider(sandbox, "vbee")
        assert held == {"0912345678": 1, "0987654321": 1, "0903123456": 1}
        names = {c.get("ho_ten") for c in sandbox.vbee.contacts["vbee-cmp-1"]}
        assert names == {"Nguyễn Thị Hằng", "Trần Văn Đức", None}
    # The preview pass and the job's pass both read the sheet, neither on the loop's thread.
    assert loops_seen and not any(loops_seen)
