"""Workbooks in all three formats read alike (.xlsx, .xls, .ods), their kind judged by content.

``fixtures/list.xls`` and ``fixtures/list.ods`` hold ``make_fixtures.ROWS``; the .xlsx is
written from the same rows by openpyxl, so the three must give the same contacts.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from bot.imports import (
    BAD_XLSX,
    NOT_A_TABLE,
    TOO_LARGE,
    TOO_MANY_ROWS,
    Contact,
    Duplicate,
    ParseLimits,
    ParseRefused,
    RowProblem,
    open_upload,
    summarize,
)
from tests.imports.fixtures.make_fixtures import OTHER_SHEET, ROWS

FIXTURES = Path(__file__).parent / "fixtures"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

EXPECTED = [
    Contact(2, "0912345678", "Nguyễn Thị Hằng", {"ngày": "2024-05-01", "ghi chú": "3.5"}),
    Contact(
        4, "0987654321", "Trần Văn Đức", {"ngày": "2024-05-01T13:05:00", "ghi chú": "gọi sau 18h"}
    ),
    Contact(5, "0903123456", None, {"ngày": "", "ghi chú": ""}),
    RowProblem(6, "n/a", "not_a_number", "Lê Chi"),
    Duplicate(7, "0912345678", 2),
]


@pytest.fixture(params=["xlsx", "xls", "ods"])
def workbook(request, xlsx, tmp_path) -> tuple[str, Path]:
    """The same list in each format: (kind, path)."""
    kind = request.param
    if kind == "xlsx":
        return kind, xlsx(ROWS, more_sheets={"Khác": OTHER_SHEET})
    path = tmp_path / f"list.{kind}"
    shutil.copy(FIXTURES / f"list.{kind}", path)
    return kind, path


def test_each_format_reads_numbers_dates_and_phones_typed_as_numbers_alike(workbook):
    kind, path = workbook

    upload = open_upload(path, path.name)

    assert (upload.kind, upload.encoding, upload.delimiter) == (kind, None, None)
    assert list(upload.contacts()) == EXPECTED


def test_each_format_gives_the_same_preview(workbook):
    kind, path = workbook

    summary = summarize(open_upload(path, path.name))

    assert (summary.kind, summary.rows_read, summary.valid) == (kind, 5, 3)
    assert (summary.invalid, summary.duplicates) == (1, 1)
    assert (summary.columns.phone, summary.columns.name) == ("Số điện thoại", "Họ và tên")
    assert summary.columns.fields == ("ngày", "ghi chú")


def test_each_format_keeps_the_row_limit(workbook):
    _, path = workbook
    upload = open_upload(path, path.name, limits=ParseLimits(max_rows=4))

    with pytest.raises(ParseRefused) as refused:
        summarize(upload)

    assert (refused.value.reason, refused.value.params) == (TOO_MANY_ROWS, {"limit": 4})


@pytest.mark.parametrize(
    ("fixture", "name", "kind"),
    [
        ("list.ods", "list.xlsx", "ods"),
        ("list.ods", "danh sach.csv", "ods"),
        ("list.xls", "list.csv", "xls"),
        ("list.xls", "list.ods", "xls"),
    ],
)
def test_a_file_whose_extension_lies_is_judged_by_its_content(tmp_path, fixture, name, kind):
    path = tmp_path / name
    shutil.copy(FIXTURES / fixture, path)

    upload = open_upload(path, name)

    assert upload.kind == kind
    assert list(upload.contacts()) == EXPECTED


def test_xlsx_named_ods_is_read_as_xlsx(xlsx):
    path = xlsx(ROWS, name="list.ods")

    assert open_upload(path, "list.ods").kind == "xlsx"


def test_ods_whose_mimetype_member_is_not_first_is_still_an_ods(tmp_path):
    # The ODF spec wants ``mimetype`` first and stored; a zip tool that repacks the file may
    # not keep it so. The member itself still says what the package is.
    path = tmp_path / "repacked.ods"
    with zipfile.ZipFile(FIXTURES / "list.ods") as original:
        members = [(i.filename, original.read(i)) for i in original.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as repacked:
        for name, data in reversed(members):
            repacked.writestr(name, data)

    upload = open_upload(path, "repacked.ods")

    assert upload.kind == "ods"
    assert list(upload.contacts()) == EXPECTED


def test_ods_that_would_inflate_past_the_limit_is_refused(tmp_path):
    path = tmp_path / "list.ods"
    shutil.copy(FIXTURES / "list.ods", path)

    with pytest.raises(ParseRefused) as refused:
        open_upload(path, "list.ods", limits=ParseLimits(max_unzipped_bytes=1000))

    assert refused.value.reason == TOO_LARGE
    assert refused.value.params["unzipped"] is True


def test_opendocument_text_is_not_a_table(write):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", "<office:document-content/>")

    with pytest.raises(ParseRefused) as refused:
        open_upload(write("list.ods", out.getvalue()), "list.ods")

    assert (refused.value.reason, refused.value.params) == (NOT_A_TABLE, {"kind": "odt"})


def test_word_97_document_is_not_a_table(write):
    # An OLE2 file whose first stream starts with Word's FIB signature (what .doc files hold).
    data = OLE2 + bytes(504) + b"\xec\xa5\xc1\x00" + bytes(1024)

    with pytest.raises(ParseRefused) as refused:
        open_upload(write("list.xls", data), "list.xls")

    assert (refused.value.reason, refused.value.params) == (NOT_A_TABLE, {"kind": "doc"})


@pytest.mark.parametrize("cut", ["header", "half"])
def test_damaged_xls_is_refused_by_the_preview(write, cut):
    data = (FIXTURES / "list.xls").read_bytes()
    data = OLE2 + bytes(2040) if cut == "header" else data[: len(data) // 2]
    upload = open_upload(write("list.xls", data), "list.xls")

    with pytest.raises(ParseRefused) as refused:
        summarize(upload)

    assert (upload.kind, refused.value.reason) == ("xls", BAD_XLSX)


def test_truncated_ods_is_refused(write):
    data = (FIXTURES / "list.ods").read_bytes()

    with pytest.raises(ParseRefused) as refused:
        summarize(open_upload(write("cut.ods", data[: len(data) // 2]), "cut.ods"))

    assert refused.value.reason == BAD_XLSX


def test_ods_with_broken_content_xml_is_refused_by_the_preview(write, tmp_path):
    path = tmp_path / "broken.ods"
    with zipfile.ZipFile(FIXTURES / "list.ods") as good, zipfile.ZipFile(path, "w") as broken:
        for info in good.infolist():
            data = good.read(info)
            if info.filename == "content.xml":
                data = data[: len(data) // 2]
            broken.writestr(info, data)

    upload = open_upload(path, "broken.ods")
    with pytest.raises(ParseRefused) as refused:
        summarize(upload)

    assert (upload.kind, refused.value.reason) == ("ods", BAD_XLSX)


def test_error_cells_read_as_empty(xlsx):
    # calamine gives no text for a cell holding an Excel error (openpyxl gave "#N/A"): the
    # row is still refused, as having no phone, and an error in a field leaves it empty.
    path = xlsx([["phone", "ghi chú"], ["#N/A", "x"], ["0912345678", "#DIV/0!"]])

    rows = list(open_upload(path).contacts())

    assert rows == [
        RowProblem(2, "", "missing_phone"),
        Contact(3, "0912345678", None, {"ghi chú": ""}),
    ]
