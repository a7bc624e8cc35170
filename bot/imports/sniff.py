"""What an upload really is, from its bytes: a workbook (xlsx, xls, ods), a known binary, or
text in which encoding. The file name plays no part: a file whose extension lies is judged by
its content."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Sequence
from typing import BinaryIO

import filetype

from .model import BAD_XLSX, NOT_A_TABLE, TOO_LARGE, ParseLimits, ParseRefused

HEAD_BYTES = 8192  # what ``filetype`` looks at
_CHUNK = 1 << 16

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Excel 97-2003 (.xls) is an OLE2 compound file; so are Word .doc and PowerPoint .ppt.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# What ``filetype`` may call a zip or OLE2 file that is (or may be) a workbook; any other
# guess (docx, odt, epub, doc, ppt…) is a document, not a table.
_WORKBOOK_ZIP = frozenset({"xlsx", "ods", "zip"})
_WORKBOOK_OLE2 = frozenset({"xls"})
# Signatures of two or three printable bytes that a text file can start with ("BM…", "MZ…").
_TEXTLIKE_SIGNATURES = frozenset({"bmp", "exe", "mp3", "ps", "swf", "tar", "rtf"})
_MANIFEST = "[Content_Types].xml"
# The workbook part's content type in an Office Open XML package (ECMA-376 part 1): workbook,
# macro-enabled workbook, template, macro-enabled template.
_WORKBOOK_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
# An OpenDocument package names its type in a ``mimetype`` member (ODF 1.2 part 3, §3.3).
_MIMETYPE = "mimetype"
_ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c")


def _undecodable(encoding: str) -> bytes:
    """The bytes a single-byte code page leaves undefined."""
    missing = bytearray()
    for b in range(256):
        try:
            bytes([b]).decode(encoding)
        except UnicodeDecodeError:
            missing.append(b)
    return bytes(missing)


_CP1258_HOLES = _undecodable("cp1258")


def encoding_label(codec: str) -> str:
    """The name shown in the preview: "utf-8" (with or without BOM), "utf-16", "cp1258"…"""
    return "utf-8" if codec == "utf-8-sig" else codec


def check_size(size: int, limits: ParseLimits, field: str) -> None:
    """Refuse an upload over the byte limit before anything is read."""
    if size > limits.max_bytes:
        raise ParseRefused(TOO_LARGE, field=field, limit=limits.max_bytes, size=size)


def detect_kind(head: bytes, field: str) -> str:
    """``"zip"`` for a zip (a workbook if ``check_workbook`` agrees), ``"xls"`` for an OLE2
    compound file that is not known to be another document, ``"text"`` otherwise; refuse
    known binary types."""
    if head.startswith(codecs.BOM_UTF8) or head.startswith(_UTF16_BOMS):
        return "text"
    guess = filetype.guess(head)
    kind = guess.extension if guess is not None else None
    if head.startswith(_ZIP_MAGIC):
        if kind is not None and kind not in _WORKBOOK_ZIP:
            raise ParseRefused(NOT_A_TABLE, field=field, kind=kind)
        return "zip"
    if head.startswith(_OLE2_MAGIC):
        # ``filetype`` tells .doc and .ppt apart by their first stream; an OLE2 file it cannot
        # place is left to the workbook reader, which refuses it as a damaged workbook.
        if kind is not None and kind not in _WORKBOOK_OLE2:
            raise ParseRefused(NOT_A_TABLE, field=field, kind=kind)
        return "xls"
    if kind is not None and (kind not in _TEXTLIKE_SIGNATURES or _binary(head)):
        raise ParseRefused(NOT_A_TABLE, field=field, kind=kind)
    return "text"


def _binary(head: bytes) -> bool:
    """True when the bytes hold control characters no text table has."""
    return len(head.translate(None, _CONTROL_BYTES)) != len(head)


def check_workbook(fh: BinaryIO, limits: ParseLimits, field: str) -> str:
    """``"xlsx"`` or ``"ods"`` for a zip that holds that workbook; refuse a zip that is damaged,
    holds no workbook, or would inflate past the limit."""
    try:
        with zipfile.ZipFile(fh) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
            # An Office workbook declares its workbook part in the package manifest.
            manifest = archive.read(_MANIFEST) if _MANIFEST in names else b""
            mimetype = archive.read(_MIMETYPE)[:256] if _MIMETYPE in names else b""
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseRefused(BAD_XLSX, field=field) from exc
    finally:
        fh.seek(0)
    if any(kind.encode() in manifest for kind in _WORKBOOK_TYPES):
        kind = "xlsx"
    elif mimetype.strip() == _ODS_TYPE:
        kind = "ods"
    else:
        raise ParseRefused(BAD_XLSX, field=field)
    if unzipped > limits.max_unzipped_bytes:
        raise ParseRefused(
            TOO_LARGE, field=field, limit=limits.max_unzipped_bytes, size=unzipped, unzipped=True
        )
    return kind


def detect_encoding(fh: BinaryIO, field: str) -> str:
    """The codec for the whole file, decided in one pass over its bytes (no rows kept)."""
    head = fh.read(4)
    fh.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = cp1258_ok = True
    while chunk := fh.read(_CHUNK):
        if b"\x00" in chunk:
            # NUL bytes without a UTF-16 BOM: a binary file (or UTF-16 we cannot place).
            raise ParseRefused(NOT_A_TABLE, field=field, kind="binary")
        if utf8_ok:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                utf8_ok = False
        if cp1258_ok and len(chunk.translate(None, _CP1258_HOLES)) != len(chunk):
            cp1258_ok = False
    fh.seek(0)
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)  # a file cut inside a character is not UTF-8
            return "utf-8"
        except UnicodeDecodeError:
            pass
    # Not UTF-8: Vietnamese Windows first, Western Windows as the last resort.
    return "cp1258" if cp1258_ok else "cp1252"


_DELIMITERS = (",", ";", "\t")


def sniff_delimiter(sample: Sequence[str]) -> str:
    """The delimiter that splits the first row into most columns and agrees with later rows."""
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        widths = []
        try:
            for cells in csv.reader(sample, delimiter=delimiter):
                if any(cell.strip() for cell in cells):
                    widths.append(len(cells))
        except csv.Error:
            pass  # the sample may stop inside a quoted field; judge what was read
        if not widths or widths[0] < 2:
            continue
        agreeing = sum(1 for w in widths if w == widths[0]) / len(widths)
        score = (agreeing, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best
