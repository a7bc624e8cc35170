"""The contact-list parser under arbitrary bytes, cells and pasted text: rows or a
``ParseRefused`` (the parser's own refusal), never another exception."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Sequence

import openpyxl
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bot.imports import (
    Contact,
    Duplicate,
    ParseLimits,
    ParseRefused,
    RowProblem,
    open_upload,
    parse_text,
    summarize,
)
from bot.imports.parser import Upload
from bot.phones import normalize

LIMITS = ParseLimits(max_bytes=64 * 1024, max_rows=50, max_unzipped_bytes=4 * 1024 * 1024)

_HEADS = st.sampled_from(
    [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"PK\x03\x04", b"sdt,ten\n"]
)
_CELL_TEXT = st.one_of(
    st.sampled_from(["0912345678", "+84 987 654 321", "84903123456", "sdt", "phone", "Họ tên"]),
    st.text(max_size=15),
)
_CELL = st.one_of(
    st.none(),
    _CELL_TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.booleans(),
)
_TABLE = st.lists(st.lists(_CELL, max_size=5), max_size=12)


def _read(upload: Upload) -> list[Contact | RowProblem | Duplicate]:
    """A summary pass and a contacts pass, checked against each other."""
    summary = summarize(upload)
    rows = list(upload.contacts())
    assert summary.rows_read == len(rows) == summary.valid + summary.invalid + summary.duplicates
    for row in rows:
        assert isinstance(row, Contact | RowProblem | Duplicate)
        if isinstance(row, Contact):
            assert normalize(row.phone) == row.phone
    return rows


def _rows_or_refusal(source: bytes, name: str) -> None:
    try:
        _read(open_upload(source, name, limits=LIMITS))
    except ParseRefused as refused:
        assert refused.key == f"import.{refused.reason}"


@given(_HEADS, st.binary(max_size=2048), st.sampled_from(["list.csv", "list.xlsx", "a.txt", ""]))
@example(b"PK\x03\x04", b"\x00" * 40, "list.xlsx")
@example(b"", b'sdt\n"0912345678\n', "list.csv")
@example(codecs.BOM_UTF16_LE, b"\x00", "list.csv")
def test_arbitrary_bytes_give_rows_or_a_refusal(head: bytes, body: bytes, name: str) -> None:
    _rows_or_refusal(head + body, name)


def _csv(table: Sequence[Sequence[object]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in table:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode("utf-8")


@given(_TABLE, st.sampled_from([",", ";", "\t", "|"]))
def test_arbitrary_cells_in_a_csv_give_rows_or_a_refusal(
    table: list[list[object]], delimiter: str
) -> None:
    _rows_or_refusal(_csv(table, delimiter), "list.csv")


def _xlsx(table: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    for row in table:
        # Cells an .xlsx cannot hold at all (XML-illegal characters) are left out.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@settings(max_examples=25)  # a workbook costs ~50 ms to write and read
@given(_TABLE)
def test_arbitrary_cells_in_a_workbook_give_rows_or_a_refusal(table: list[list[object]]) -> None:
    _rows_or_refusal(_xlsx(table), "list.xlsx")


@settings(max_examples=25)
@given(_TABLE, st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=8))
def test_a_damaged_workbook_gives_rows_or_a_refusal(
    table: list[list[object]], at: int, junk: bytes
) -> None:
    data = bytearray(_xlsx(table))
    at = min(at, len(data) - 1)
    data[at : at + len(junk)] = junk
    _rows_or_refusal(bytes(data), "list.xlsx")


@given(st.text(max_size=1000))
@example("0912345678\n0912345678\n")
@example('"')
@example("sdt,ten\n")
def test_arbitrary_pasted_text_gives_rows_or_a_refusal(text: str) -> None:
    try:
        _read(parse_text(text, limits=LIMITS))
    except ParseRefused as refused:
        assert refused.key == f"import.{refused.reason}"
