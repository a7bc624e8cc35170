"""Streaming contact-list parser: a .csv/.txt/.xlsx/.xls/.ods upload or a pasted list → contacts.

Two passes, neither keeping rows in memory::

    upload = open_upload(path, "list.csv")    # sniffs kind, encoding, delimiter, header
    summary = summarize(upload)               # full pass: counts, samples, row limit
    for row in upload.contacts():             # again on confirm (re-opens the file)
        ...                                   # Contact | RowProblem | Duplicate

Workbooks (.xlsx, .xls, .ods) are read with calamine (``python-calamine``, Rust), which holds
the first sheet's cells while a pass runs (a 100,000-row sheet is a few tens of MB) and hands
Python one row at a time.

Every refusal is a ``ParseRefused`` with a reason code. ``too_many_rows`` can only be seen at
the end of a pass, so callers run ``summarize`` (or a whole ``contacts`` pass) before storing
anything: the file is then known to be importable in full.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import unicodedata
from collections.abc import Generator, Iterable, Iterator
from typing import BinaryIO

from python_calamine import CalamineWorkbook, SheetTypeEnum

from bot.hygiene import NAME_MAX, SHOWN_MAX, clean, cut
from bot.phonefast import fast_normalize
from bot.phones import InvalidPhone, PhoneFormat

from .headers import plan_columns
from .model import (
    BAD_CSV,
    BAD_XLSX,
    EMPTY,
    MISSING_PHONE,
    SAMPLE_SIZE,
    SPREADSHEETS,
    TOO_MANY_ROWS,
    Columns,
    Contact,
    Duplicate,
    ParseLimits,
    ParseRefused,
    ParseSummary,
    Row,
    RowProblem,
)
from .rules import NAME_TOO_LONG, FieldCheck
from .sniff import (
    HEAD_BYTES,
    check_size,
    check_workbook,
    detect_encoding,
    detect_kind,
    encoding_label,
    sniff_delimiter,
)

Source = str | os.PathLike[str] | bytes

DEFAULT_LIMITS = ParseLimits()

_SNIFF_LINES = 50
_SNIFF_CHARS = 64 * 1024

# Cells are strings to us; a row is its 1-based line (or sheet row) and its cells.
Lines = Iterator[tuple[int, list[str]]]


class Upload:
    """A sniffed upload that can be read any number of times, one streaming pass each."""

    def __init__(
        self,
        source: Source,
        *,
        kind: str,
        codec: str | None,
        delimiter: str | None,
        limits: ParseLimits,
        field: str,
    ) -> None:
        self._source = source
        self.kind = kind
        self._codec = codec
        self.encoding = encoding_label(codec) if codec else None
        self.delimiter = delimiter
        self.limits = limits
        self._field = field
        self._columns: Columns | None = None

    def __repr__(self) -> str:
        return f"<Upload {self.kind} encoding={self.encoding} delimiter={self.delimiter!r}>"

    @property
    def columns(self) -> Columns:
        """The recognised columns (read from the file on first use, if no pass has run yet)."""
        if self._columns is None:
            self._read_header()
        assert self._columns is not None
        return self._columns

    def _open(self) -> BinaryIO:
        """A fresh binary stream over the upload (re-opening a path each pass)."""
        if isinstance(self._source, bytes):
            return io.BytesIO(self._source)
        return open(self._source, "rb")

    @contextlib.contextmanager
    def _lines(self) -> Iterator[Lines]:
        """Every row of the file with its line number, blank ones included."""
        with self._open() as fh:
            if self.kind in SPREADSHEETS:
                yield _sheet_lines(fh, self._field)
            else:
                assert self._codec is not None and self.delimiter is not None
                with _decode(fh, self._codec) as text:
                    yield _csv_lines(_nfc(text), self.delimiter, self._field)

    def _read_header(self) -> None:
        """Read up to the first data row: the refusals a whole pass would give, found early."""
        for _ in self._rows():
            return

    def _rows(self) -> Generator[tuple[int, list[str]], None, None]:
        """Non-blank data rows; the header is recognised on the way and empty files refused."""
        header: Columns | None = None
        rows = 0
        with self._lines() as lines:
            for line, raw_cells in lines:
                # A file's cells are user text, cleaned like typed text (a quoted cell may
                # hold a multi-line note; the name is made one line below).
                cells = [clean(cell) for cell in raw_cells]
                if _blank(cells):
                    continue
                if header is None:
                    header = self._columns = plan_columns(cells, field=self._field)
                    if header.has_header:
                        continue
                rows += 1
                yield line, cells
        if rows == 0 and header is None:
            raise ParseRefused(EMPTY, field=self._field)
        if rows == 0:
            raise ParseRefused(EMPTY, field=self._field, header_only=True)

    def contacts(
        self, phone_format: PhoneFormat = "national", check: FieldCheck | None = None
    ) -> Iterator[Row]:
        """Every non-blank data row, in file order; raises ``too_many_rows`` past the limit.

        ``check`` (the provider's field rules) turns a row whose fields it refuses into a
        ``RowProblem``; such a row does not count as its phone's first occurrence.
        """
        max_rows = self.limits.max_rows
        # The only state that grows with the file: phone → line of its first occurrence.
        seen: dict[str, int] = {}
        rows = self._rows()
        for count, (line, cells) in enumerate(rows, 1):
            if count == 1:
                # Known once the first data row is reached; the same on every pass.
                columns = self.columns
                phone_at, name_at = columns.phone_index, columns.name_index
                extras = list(zip(columns.field_indexes, columns.fields, strict=True))
            if count > max_rows:
                rows.close()
                raise ParseRefused(TOO_MANY_ROWS, field=self._field, limit=max_rows)
            width = len(cells)
            raw = cells[phone_at].strip() if phone_at < width else ""
            name = None
            if name_at is not None and name_at < width:
                name = clean(cells[name_at], multiline=False).strip() or None
            if name is not None and len(name) > NAME_MAX:
                yield RowProblem(line, raw, NAME_TOO_LONG, cut(name, SHOWN_MAX))
                continue
            if not raw:
                yield RowProblem(line, raw, MISSING_PHONE, name)
                continue
            try:
                phone = fast_normalize(raw, phone_format)
            except InvalidPhone as exc:
                yield RowProblem(line, raw, exc.reason, name)
                continue
            fields = {h: cells[i].strip() if i < width else "" for i, h in extras}
            problem = check(fields) if check is not None else None
            if problem is not None:
                reason, value = problem
                yield RowProblem(line, phone, reason, name, value)
                continue
            first_line = seen.setdefault(phone, line)
            if first_line != line:
                yield Duplicate(line, phone, first_line)
                continue
            yield Contact(line, phone, name, fields)


def open_upload(
    source: Source, filename: str = "", *, limits: ParseLimits = DEFAULT_LIMITS
) -> Upload:
    """Check an uploaded file (path or bytes) and read its header; raise ``ParseRefused``."""
    field = "file"
    size = len(source) if isinstance(source, bytes) else os.stat(source).st_size
    check_size(size, limits, field)
    if size == 0:
        raise ParseRefused(EMPTY, field=field)
    with io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb") as fh:
        kind = detect_kind(fh.read(HEAD_BYTES), field)
        fh.seek(0)
        if kind == "zip":
            kind = check_workbook(fh, limits, field)  # "xlsx" or "ods", from the zip's content
        if kind in SPREADSHEETS:
            # No header read here: loading a workbook costs as much as a pass, and the caller's
            # ``summarize`` finds the header (and raises the same refusals) on its way.
            return Upload(source, kind=kind, codec=None, delimiter=None, limits=limits, field=field)
        codec = detect_encoding(fh, field)
        delimiter = _sniff(fh, codec)
    label = "txt" if filename.lower().endswith(".txt") else "csv"
    upload = Upload(
        source, kind=label, codec=codec, delimiter=delimiter, limits=limits, field=field
    )
    upload._read_header()
    return upload


def parse_text(text: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> Upload:
    """The modal's pasted list: one phone per line, ``phone, name``, or CSV with a header."""
    field = "paste"
    data = text.replace("\x00", "").encode("utf-8")
    check_size(len(data), limits, field)
    delimiter = _sniff(io.BytesIO(data), "utf-8")
    upload = Upload(
        data, kind="paste", codec="utf-8", delimiter=delimiter, limits=limits, field=field
    )
    upload._read_header()
    return upload


def summarize(
    upload: Upload, phone_format: PhoneFormat = "national", check: FieldCheck | None = None
) -> ParseSummary:
    """One full streaming pass: the counts and first problems the preview shows."""
    # The pass itself finds the columns; asking before it would read the upload twice.
    unknown = Columns(has_header=False, phone=None, name=None, fields=())
    summary = ParseSummary(
        kind=upload.kind, encoding=upload.encoding, delimiter=upload.delimiter, columns=unknown
    )
    for row in upload.contacts(phone_format, check):
        summary.rows_read += 1
        if isinstance(row, Contact):
            summary.valid += 1
        elif isinstance(row, Duplicate):
            summary.duplicates += 1
            if len(summary.duplicate_samples) < SAMPLE_SIZE:
                summary.duplicate_samples.append(row)
        else:
            summary.invalid += 1
            if len(summary.invalid_samples) < SAMPLE_SIZE:
                summary.invalid_samples.append(row)
    summary.columns = upload.columns
    return summary


def _blank(cells: list[str]) -> bool:
    """True for a row with nothing but whitespace in it."""
    return not any(cell.strip() for cell in cells)


def _decode(fh: BinaryIO, codec: str) -> io.TextIOWrapper:
    """Text over the binary stream (closing the text closes the stream)."""
    # ``replace``: the encoding was checked over the whole file; a byte that still fails to
    # decode (a file changed between passes) should cost one character, not the import.
    return io.TextIOWrapper(fh, encoding=codec, errors="replace", newline="")


def _nfc(lines: Iterable[str]) -> Iterator[str]:
    """Lines composed to NFC: Windows-1258 (and macOS) write tone marks as combining characters."""
    for line in lines:
        yield line if unicodedata.is_normalized("NFC", line) else unicodedata.normalize("NFC", line)


def _sniff(fh: BinaryIO, codec: str) -> str:
    """The delimiter, judged on the first lines of the decoded text."""
    sample: list[str] = []
    chars = 0
    text = _decode(fh, codec)
    try:
        for line in _nfc(text):
            sample.append(line)
            chars += len(line)
            if len(sample) >= _SNIFF_LINES or chars >= _SNIFF_CHARS:
                break
    finally:
        text.detach()  # the binary stream stays the caller's to close
    return sniff_delimiter(sample)


def _csv_lines(text: Iterable[str], delimiter: str, field: str) -> Lines:
    """CSV records numbered by the line they start on (a quoted field may span lines)."""
    reader = csv.reader(text, delimiter=delimiter)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ParseRefused(BAD_CSV, field=field, line=previous + 1) from exc
        yield previous + 1, cells
        previous = reader.line_num


def _sheet_lines(fh: BinaryIO, field: str) -> Lines:
    """The first worksheet's rows as text cells, numbered like the spreadsheet's rows.

    Rows before the first filled one come as empty rows, so numbers match what the user sees;
    columns before the first filled one are left out, which moves every row alike.
    """
    try:
        workbook = CalamineWorkbook.from_filelike(fh)
    except Exception as exc:  # calamine's own errors, and ValueError… for what is no workbook
        raise ParseRefused(BAD_XLSX, field=field) from exc
    try:
        sheets = [s.name for s in workbook.sheets_metadata if s.typ == SheetTypeEnum.WorkSheet]
        if not sheets:
            return
        try:
            # The whole sheet is parsed here: a broken sheet fails before any row is used.
            rows = workbook.get_sheet_by_name(sheets[0]).iter_rows()
        except Exception as exc:
            raise ParseRefused(BAD_XLSX, field=field) from exc
        for line, values in enumerate(rows, 1):
            yield line, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the text the user sees: 912345678.0 → "912345678", dates in ISO form."""
    if isinstance(value, str):  # an empty cell is "" too
        return (
            value
            if unicodedata.is_normalized("NFC", value)
            else unicodedata.normalize("NFC", value)
        )
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores typed phone numbers as floats without the 0
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()  # a date cell Excel stored as midnight
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
