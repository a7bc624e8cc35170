"""Text uploads in every encoding and delimiter the call center's tools produce."""

from __future__ import annotations

import codecs
import itertools
import unicodedata

import pytest

from bot.imports import Contact, open_upload, summarize

NAMES = ("Nguyễn Thị Hằng", "Trần Văn Đức", "Phạm Thị Ngọc Ánh", "Lê Hoàng Yến", "Đỗ Thuỳ Dương")
PHONES = ("0912345678", "0987654321", "0903123456", "0388123456", "0707123456")


def table(delimiter: str = ",", header: tuple[str, str] = ("Số điện thoại", "Họ và tên")) -> str:
    """A small contact list with Vietnamese names, CRLF line ends as Excel writes them."""
    lines = [delimiter.join(header)]
    lines += [delimiter.join(row) for row in zip(PHONES, NAMES, strict=True)]
    return "\r\n".join(lines) + "\r\n"


def cp1258(text: str) -> bytes:
    """Encode like Vietnamese Windows: precomposed base letters (â ê ô ă ơ ư đ) + tone marks."""
    out = bytearray()
    for ch in text:
        # cp1258 has ê but not ễ or ệ: compose the marks it has letters for, the rest combining.
        base, *marks = unicodedata.normalize("NFD", ch)
        for size in range(len(marks), -1, -1):
            for kept in itertools.combinations(marks, size):
                rest = list(marks)
                for mark in kept:
                    rest.remove(mark)
                try:
                    head = unicodedata.normalize("NFC", base + "".join(kept))
                    out += head.encode("cp1258") + "".join(rest).encode("cp1258")
                except UnicodeEncodeError:
                    continue
                break
            else:
                continue
            break
        else:
            raise AssertionError(f"{ch!r} has no cp1258 spelling")
    return bytes(out)


def names_of(upload) -> list[str | None]:
    return [row.name for row in upload.contacts() if isinstance(row, Contact)]


def test_python_cp1258_cannot_encode_precomposed_vietnamese_so_the_helper_decomposes():
    with pytest.raises(UnicodeEncodeError):
        "Nguyễn Thị Hằng".encode("cp1258")
    raw = cp1258("Nguyễn Thị Hằng")
    assert raw.decode("cp1258") != "Nguyễn Thị Hằng"  # ê + combining tilde, not ễ
    assert unicodedata.normalize("NFC", raw.decode("cp1258")) == "Nguyễn Thị Hằng"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (codecs.BOM_UTF8 + table().encode("utf-8"), "utf-8"),
        (table().encode("utf-8"), "utf-8"),
        (table().encode("utf-16"), "utf-16"),  # with BOM, little-endian here
        (codecs.BOM_UTF16_BE + table().encode("utf-16-be"), "utf-16"),
        (cp1258(table()), "cp1258"),
    ],
    ids=["utf8-bom", "utf8", "utf16-le-bom", "utf16-be-bom", "cp1258"],
)
def test_vietnamese_names_come_out_intact_in_every_encoding(write, encoded, encoding):
    upload = open_upload(write("list.csv", encoded), "list.csv")

    assert upload.encoding == encoding
    assert upload.columns.phone == "Số điện thoại"
    assert upload.columns.name == "Họ và tên"
    assert names_of(upload) == list(NAMES)


def test_cp1258_file_is_not_valid_utf8_and_is_still_read_right(write):
    encoded = cp1258(table(";"))
    with pytest.raises(UnicodeDecodeError):
        encoded.decode("utf-8")

    summary = summarize(open_upload(write("ds.csv", encoded)))

    assert (summary.encoding, summary.delimiter, summary.valid) == ("cp1258", ";", 5)


def test_western_windows_file_falls_back_to_cp1252(write):
    # Š (0x8A) does not exist in Windows-1258, so this can only be Windows-1252.
    encoded = "phone,name\r\n0912345678,Šárka Nováková\r\n".encode("cp1252")

    upload = open_upload(write("w.csv", encoded))

    assert upload.encoding == "cp1252"
    assert names_of(upload) == ["Šárka Nováková"]


def test_decomposed_utf8_from_macos_is_composed(write):
    text = unicodedata.normalize("NFD", table())

    upload = open_upload(write("mac.csv", text.encode("utf-8")))

    assert upload.columns.name == "Họ và tên"
    assert names_of(upload) == list(NAMES)


@pytest.mark.parametrize(("delimiter", "shown"), [(",", ","), (";", ";"), ("\t", "\t")])
def test_delimiter_is_sniffed(write, delimiter, shown):
    upload = open_upload(write("list.csv", table(delimiter).encode("utf-8")))

    assert upload.delimiter == shown
    assert names_of(upload) == list(NAMES)


def test_semicolons_win_over_commas_inside_names(write):
    text = "sdt;ho_ten;ghi_chu\n0912345678;Nguyễn, Văn A;gọi sáng\n0987654321;Trần B;x, y, z\n"

    upload = open_upload(write("list.csv", text.encode("utf-8")))

    assert upload.delimiter == ";"
    rows = list(upload.contacts())
    assert [r.name for r in rows if isinstance(r, Contact)] == ["Nguyễn, Văn A", "Trần B"]


def test_quoted_fields_keep_delimiters_and_newlines(write):
    text = 'phone,name,note\n0912345678,"Lê, Thị B","dòng 1\ndòng 2"\n0987654321,C,x\n'

    rows = list(open_upload(write("q.csv", text.encode("utf-8"))).contacts())

    assert rows[0] == Contact(2, "0912345678", "Lê, Thị B", {"note": "dòng 1\ndòng 2"})
    assert rows[1].line == 4  # the record after a two-line field starts on line 4


def test_old_mac_line_ends_are_lines(write):
    upload = open_upload(write("cr.csv", b"phone,name\r0912345678,A\r0987654321,B\r"))

    assert [r.line for r in upload.contacts()] == [2, 3]
