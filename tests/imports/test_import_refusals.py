"""Uploads refused as a whole: wrong type, too big, too many rows, nothing in them."""

from __future__ import annotations

import codecs
import struct
import zlib

import pytest

import bot.imports.parser as parser_module
from bot.errors import UserInputError
from bot.imports import (
    EMPTY,
    NOT_A_TABLE,
    TOO_LARGE,
    TOO_MANY_ROWS,
    Contact,
    ParseLimits,
    ParseRefused,
    open_upload,
    parse_text,
    summarize,
)


def png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def refusal(source, filename: str = "", **kwargs) -> ParseRefused:
    """What the preview (open, then one pass) refuses the upload with."""
    with pytest.raises(ParseRefused) as refused:
        summarize(open_upload(source, filename, **kwargs))
    return refused.value


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (png(), "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64, "jpg"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "pdf"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 32, "gz"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "exe"),
    ],
    ids=["png", "jpeg", "pdf", "gzip", "exe"],
)
def test_binary_file_renamed_csv_is_refused_with_its_real_kind(write, data, kind):
    refused = refusal(write("contacts.csv", data), "contacts.csv")

    assert (refused.reason, refused.params) == (NOT_A_TABLE, {"kind": kind})
    assert refused.key == "import.not_a_table"
    assert refused.field == "file"
    assert isinstance(refused, UserInputError)  # the Slack layer renders it like any input error


def test_text_with_nul_bytes_and_no_bom_is_refused(write):
    # UTF-16 without its BOM looks like text with a NUL after every letter.
    refused = refusal(write("list.csv", "phone\n0912345678\n".encode("utf-16-le")))

    assert (refused.reason, refused.params) == (NOT_A_TABLE, {"kind": "binary"})


def test_csv_starting_with_letters_of_a_weak_signature_is_still_text(write):
    # "BM" is the whole BMP signature; a header can start with it too.
    upload = open_upload(write("list.csv", b"BMW_phone,phone\nx,0912345678\n"))

    assert upload.columns.phone == "phone"


def test_over_10_mb_is_refused_from_the_file_size_before_reading_anything(write, monkeypatch):
    path = write("big.csv", b"")
    with open(path, "r+b") as fh:
        fh.truncate(10 * 1024 * 1024 + 1)  # sparse: no need to write 10 MB

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(parser_module, "open", no_reading, raising=False)

    refused = refusal(path, "big.csv")

    assert (refused.reason, refused.params) == (
        TOO_LARGE,
        {"limit": 10 * 1024 * 1024, "size": 10 * 1024 * 1024 + 1},
    )


def test_exactly_10_mb_is_not_too_large(write):
    row = b"0912345678,Nguyen Van A\n"
    body = row * ((10 * 1024 * 1024 - 11) // len(row))
    data = b"phone,name\n" + body + b" " * (10 * 1024 * 1024 - 11 - len(body))

    assert len(data) == 10 * 1024 * 1024
    assert open_upload(write("big.csv", data)).columns.phone == "phone"


def test_limits_are_configurable_and_apply_to_bytes_and_pastes():
    limits = ParseLimits(max_bytes=20)

    assert refusal(b"phone\n0912345678\n0987654321\n", limits=limits).reason == TOO_LARGE
    with pytest.raises(ParseRefused) as refused:
        parse_text("0912345678\n0987654321\n", limits=limits)
    assert (refused.value.reason, refused.value.field) == (TOO_LARGE, "paste")


def test_workbook_inflating_past_the_unzipped_limit_is_refused(xlsx):
    path = xlsx([["phone", "note"]] + [["0912345678", "x" * 100]] * 200)

    refused = refusal(path, limits=ParseLimits(max_unzipped_bytes=10_000))

    assert refused.reason == TOO_LARGE
    assert refused.params["unzipped"] is True


def many_rows(n: int) -> bytes:
    """A header, one valid row, then rows whose phone cell is empty: cheap to check, still rows."""
    return b"phone,name\n0912345678,Nguyen Van A\n" + b",Nguyen Van B\n" * (n - 1)


def test_200_000_rows_are_accepted(write):
    summary = summarize(open_upload(write("max.csv", many_rows(200_000))))

    assert (summary.rows_read, summary.valid, summary.invalid) == (200_000, 1, 199_999)


def test_200_001_rows_are_refused_before_the_caller_stores_anything(write):
    upload = open_upload(write("over.csv", many_rows(200_001)))

    with pytest.raises(ParseRefused) as refused:
        summarize(upload)
    assert (refused.value.reason, refused.value.params) == (TOO_MANY_ROWS, {"limit": 200_000})


def test_row_limit_is_raised_by_contacts_before_the_row_past_it(write):
    upload = open_upload(write("over.csv", many_rows(6)), limits=ParseLimits(max_rows=5))
    seen = []

    with pytest.raises(ParseRefused) as refused:
        seen.extend(upload.contacts())

    assert refused.value.reason == TOO_MANY_ROWS
    assert len(seen) == 5


def test_blank_lines_do_not_count_towards_the_row_limit():
    upload = parse_text("phone\n" + "\n" * 10 + "0912345678\n", limits=ParseLimits(max_rows=1))

    assert list(upload.contacts()) == [Contact(12, "0912345678", None, {})]


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b",,,\n, ,\n\t\t\n"],
    ids=["zero-bytes", "whitespace", "utf8-bom-only", "utf16-bom-only", "only-delimiters"],
)
def test_empty_file_is_refused(write, data):
    assert refusal(write("empty.csv", data)).reason == EMPTY


def test_header_without_rows_is_empty(write):
    refused = refusal(write("header.csv", b"phone,name\n\n\n"))

    assert (refused.reason, refused.params) == (EMPTY, {"header_only": True})


def test_empty_workbook_is_refused(xlsx):
    assert refusal(xlsx([])).reason == EMPTY


def test_empty_paste_is_refused():
    with pytest.raises(ParseRefused) as refused:
        parse_text(" \n\n")

    assert (refused.value.reason, refused.value.field) == (EMPTY, "paste")
