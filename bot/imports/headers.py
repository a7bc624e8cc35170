"""Which column is the phone, which is the name: header names matched without case or diacritics."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.phones import InvalidPhone, normalize

from .model import NO_PHONE_COLUMN, Columns, ParseRefused


def header_key(text: str) -> str:
    """``"Số điện thoại"`` → ``"sodienthoai"``: no case, marks, spaces, underscores or dashes."""
    # NFKD splits the tone and vowel marks off; đ/Đ is a letter of its own and must be mapped.
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    # Format characters too: a doubled BOM or a zero-width space pasted into a header cell.
    bare = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )
    return re.sub(r"[\s_\-.]+", "", bare).casefold()


PHONE_HEADERS = frozenset(
    header_key(h)
    for h in (
        "phone",
        "phone_number",
        "phoneNumber",
        "mobile",
        "sdt",
        "so_dien_thoai",
        "số điện thoại",
        "điện thoại",
        "tel",
    )
)
NAME_HEADERS = frozenset(
    header_key(h) for h in ("name", "ho_ten", "họ tên", "họ và tên", "fullName", "full_name", "tên")
)

# Digits with the usual separators: a first cell like this is data even when it is not valid.
_PHONE_LIKE = re.compile(r"\+?[0-9][0-9 .\-()]*[0-9]")
_MIN_PHONE_LIKE_DIGITS = 8


def _looks_like_phone(cell: str) -> bool:
    """True for a valid phone, or digits-and-separators long enough to be a mistyped one."""
    try:
        normalize(cell, "e164")
    except InvalidPhone:
        digits = sum(ch.isdigit() for ch in cell)
        return bool(_PHONE_LIKE.fullmatch(cell)) and digits >= _MIN_PHONE_LIKE_DIGITS
    return True


def plan_columns(first_row: Sequence[str], *, field: str = "file") -> Columns:
    """Read the first non-blank row as a header, or as data when it starts with a phone."""
    cells = [cell.replace("\ufeff", "").strip() for cell in first_row]
    keys = [header_key(cell) for cell in cells]
    phone_index = next((i for i, key in enumerate(keys) if key in PHONE_HEADERS), None)
    if phone_index is None:
        if cells and _looks_like_phone(cells[0]):
            # No header: the columns are phone, name; anything further has no name to travel by.
            return Columns(has_header=False, phone=None, name=None, fields=(), name_index=1)
        raise ParseRefused(NO_PHONE_COLUMN, field=field, headers=[c for c in cells if c])
    name_index = next(
        (i for i, key in enumerate(keys) if key in NAME_HEADERS and i != phone_index), None
    )
    fields: list[str] = []
    field_indexes: list[int] = []
    for i, cell in enumerate(cells):
        # Unnamed columns cannot be addressed by a template, and a repeated name is ambiguous.
        if i in (phone_index, name_index) or not cell or cell in fields:
            continue
        fields.append(cell)
        field_indexes.append(i)
    return Columns(
        has_header=True,
        phone=cells[phone_index],
        name=cells[name_index] if name_index is not None else None,
        fields=tuple(fields),
        phone_index=phone_index,
        name_index=name_index,
        field_indexes=tuple(field_indexes),
    )
