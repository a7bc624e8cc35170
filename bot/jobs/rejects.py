"""The CSVs posted in a job's thread: an import's rejected rows, the contacts an undo kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from bot.messages import Messages
from bot.render.imports import reason_words

# A cell starting like a formula is run by spreadsheets; the raw phones come from users.
_FORMULA_START = ("=", "@", "\t", "\r")


def _safe(cell: str) -> str:
    risky = cell.startswith(_FORMULA_START) or (
        cell[:1] in ("+", "-") and not cell[1:2].isdigit() and cell[1:2] != " "
    )
    return "'" + cell if risky else cell


def rejected_csv(msg: Messages, rows: Iterable[tuple[int, str, str | None, str | None]]) -> bytes:
    """UTF-8 CSV with a BOM (Excel then shows Vietnamese right), header in the catalog's words."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            msg("import.csv.line"),
            msg("import.csv.phone"),
            msg("import.csv.name"),
            msg("import.csv.reason"),
        ]
    )
    for line, phone, name, reason in rows:
        writer.writerow([line, _safe(phone or ""), _safe(name or ""), reason_words(msg, reason)])
    return out.getvalue().encode("utf-8-sig")


def kept_csv(
    msg: Messages, rows: Iterable[tuple[int, str, str | None, str | None, str | None]]
) -> bytes:
    """The contacts an undo left in the campaign: line, phone, name, contact id, why."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            msg("import.csv.line"),
            msg("import.csv.phone"),
            msg("import.csv.name"),
            msg("job.undo.csv.contact"),
            msg("job.undo.csv.why"),
        ]
    )
    for line, phone, name, contact_id, reason in rows:
        writer.writerow(
            [
                line,
                _safe(phone or ""),
                _safe(name or ""),
                contact_id or "",
                reason_words(msg, reason),
            ]
        )
    return out.getvalue().encode("utf-8-sig")
