"""Excel workbooks: first sheet, read-only, numbers Excel typed as numbers."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from bot.imports import BAD_XLSX, NOT_A_TABLE, Contact, ParseRefused, RowProblem, open_upload
from bot.imports import summarize as summarize_upload


def test_first_sheet_with_vietnamese_headers_and_fields(xlsx):
    path = xlsx(
        [
            ["Số điện thoại", "Họ và tên", "danh_xung", "otp_code"],
            ["0912 345 678", "Nguyễn Thị Hằng", "chị", "001234"],
            ["+84987654321", "Trần Văn Đức", "anh", "998877"],
        ],
        more_sheets={"Khác": [["phone"], ["0903123456"]]},
    )

    upload = open_upload(path, "list.xlsx")

    assert (upload.kind, upload.encoding, upload.delimiter) == ("xlsx", None, None)
    assert list(upload.contacts()) == [
        Contact(2, "0912345678", "Nguyễn Thị Hằng", {"danh_xung": "chị", "otp_code": "001234"}),
        Contact(3, "0987654321", "Trần Văn Đức", {"danh_xung": "anh", "otp_code": "998877"}),
    ]


def test_phones_excel_stored_as_numbers_lose_no_digit(xlsx):
    # Excel drops the leading 0 of a typed number; ints and floats both happen.
    path = xlsx([["sdt", "ten"], [912345678, "A"], [987654321.0, "B"], [84903123456, "C"]])

    phones = [r.phone for r in open_upload(path).contacts()]

    assert phones == ["0912345678", "0987654321", "0903123456"]


def test_headerless_sheet_with_numeric_first_cell(xlsx):
    path = xlsx([[912345678, "Nguyễn Văn A"], [987654321, None]])

    upload = open_upload(path)

    assert not upload.columns.has_header
    assert [(r.line, r.name) for r in upload.contacts()] == [(1, "Nguyễn Văn A"), (2, None)]


def test_empty_rows_are_skipped_and_rows_keep_their_sheet_numbers(xlsx):
    path = xlsx(
        [["phone", "note", "ngày"], [], [None, None], ["0912345678", 3.5, dt.date(2024, 5, 1)]]
    )

    (row,) = open_upload(path).contacts()

    assert row == Contact(4, "0912345678", None, {"note": "3.5", "ngày": "2024-05-01"})


def test_bad_cells_are_row_problems_not_refusals(xlsx):
    path = xlsx([["phone"], ["n/a"], ["0912345678"]])

    summary = summarize_upload(open_upload(path))

    assert summary.invalid_samples == [RowProblem(2, "n/a", "not_a_number")]
    assert (summary.rows_read, summary.valid) == (2, 1)


def test_workbook_renamed_csv_is_still_read_as_a_workbook(xlsx, tmp_path):
    path = xlsx([["phone"], ["0912345678"]], name="export.csv")

    assert open_upload(path, "export.csv").kind == "xlsx"


def test_zip_that_is_not_a_workbook_is_refused(write):
    path = write("list.xlsx", b"")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("list.csv", "phone\n0912345678\n")

    with pytest.raises(ParseRefused) as refused:
        open_upload(path, "list.xlsx")

    assert refused.value.reason == BAD_XLSX


def test_truncated_workbook_is_refused(xlsx, write):
    data = xlsx([["phone"], ["0912345678"]]).read_bytes()

    with pytest.raises(ParseRefused) as refused:
        open_upload(write("cut.xlsx", data[: len(data) // 2]))

    assert refused.value.reason == BAD_XLSX


def test_word_document_is_not_a_table(write):
    path = write("list.xlsx", b"")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(ParseRefused) as refused:
        open_upload(path, "list.xlsx")

    assert (refused.value.reason, refused.value.params) == (NOT_A_TABLE, {"kind": "docx"})


def test_workbook_with_broken_sheet_xml_is_refused_by_the_preview(xlsx, write):
    good = zipfile.ZipFile(xlsx([["phone"], ["0912345678"]]))
    path = write("broken.xlsx", b"")
    with good, zipfile.ZipFile(path, "w") as broken:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>7"
            broken.writestr(info.filename, data)

    upload = open_upload(path)  # the zip and its manifest are fine
    with pytest.raises(ParseRefused) as refused:
        summarize_upload(upload)

    assert refused.value.reason == BAD_XLSX


def test_columns_are_known_after_the_first_pass_without_reading_the_workbook_again(xlsx):
    upload = open_upload(xlsx([["Tên", "SĐT"], ["An", "0912345678"]]))

    summary = summarize_upload(upload)

    assert (summary.columns.phone, summary.columns.name) == ("SĐT", "Tên")
    assert upload.columns is summary.columns
