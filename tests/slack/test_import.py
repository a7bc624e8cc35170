"""``/import`` end to end over signed HTTP, for each provider: upload → preview → confirm →
progress updates → final message with the rejected rows as a CSV in the thread."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from tests.jobs.data import contact_list, phones
from tests.jobs.e2e import (
    confirm,
    csv_rows,
    eventually,
    finished_job,
    import_file,
    running_bot,
    view_text,
)
from tests.jobs.providers import at_provider
from tests.slack.conftest import OPS_CHANNEL

BAD = ("12345", "abc", "0912 345")  # too short, not a number, too short


@pytest.mark.parametrize("connection", ["alohub-main", "vbee", "aicc", "crm"])
async def test_import_sends_every_valid_row_once_and_posts_the_rejected_rows_as_csv(
    sandbox: Any, tmp_path: Any, connection: str
):
    content, valid = contact_list(120, seed=3, bad=BAD)
    sizes = {connection: 50}
    async with running_bot(sandbox, tmp_path, batch_sizes=sizes) as h:
        view = await import_file(h, connection, content, "khach hang.csv")
        text = view_text(view)
        assert view["callback_id"] == "import_confirm", text
        assert "123 rows read" in text and "120 valid" in text and "3 invalid" in text
        assert "Line 122: `12345`" in text and "too few digits" in text
        assert "phone = *phone*" in text and "name = *name*" in text

        ack = await confirm(h, view)
        assert ack.json_body == {"response_action": "clear"}
        job = await finished_job(h)
        assert job.state == "done" and job.channel == OPS_CHANNEL

        updates = [c for c in h.fake.calls_to("chat.update") if c.args["ts"] == job.message_ts]
        assert len(updates) >= 2, "a progress update before the final one"
        final = view_text(updates[-1].args)
        assert "120 added" in final and "3 rejected" in final and "CSV" in final

        [upload] = await eventually(lambda: h.fake.uploaded_files, what="the CSV")
        assert upload["thread_ts"] == job.message_ts and upload["filename"] == "J1-rejected.csv"
        rows = csv_rows(upload["content"])
        assert rows[0] == ["line", "phone", "name", "reason"]
        assert rows[1:] == [
            ["122", "12345", "Lỗi", "too few digits for a phone number"],
            ["123", "abc", "Lỗi", "not a phone number"],
            ["124", "0912 345", "Lỗi", "not a valid Vietnamese phone number"],
        ]
        held = at_provider(sandbox, connection)
        assert all(held[p] == 1 for p in valid)


async def test_import_reads_an_xlsx_workbook_with_vietnamese_headers(sandbox: Any, tmp_path: Any):
    valid = phones(5, seed=9)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Số điện thoại", "Họ và tên", "danh_xung"])
    for phone in valid:
        sheet.append([int(phone), "Nguyễn Thị Hoa", "chị"])  # Excel keeps phones as numbers
    out = io.BytesIO()
    workbook.save(out)
    async with running_bot(sandbox, tmp_path) as h:
        view = await import_file(h, "vbee", out.getvalue(), "danh sách.xlsx")
        text = view_text(view)
        assert "5 valid" in text and "Excel workbook" in text
        assert "phone = *Số điện thoại*" in text and "`danh_xung`" in text
        await confirm(h, view)
        job = await finished_job(h)
        assert job.state == "done" and job.source == "danh sách.xlsx"
        added = sandbox.vbee.contacts["vbee-cmp-1"]
        assert [c["danh_xung"] for c in added] == ["chị"] * 5
        assert {c["ho_ten"] for c in added} == {"Nguyễn Thị Hoa"}
