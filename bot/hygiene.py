"""Text that is safe and fits: what comes in is cleaned, what goes out is inert and cut.

Three edges, one module:

- **In** — ``clean`` (and ``clean_deep`` for payloads): every piece of user text (command
  text, modal values, file cells, a pasted list) passes here before it is parsed, stored,
  sent to a provider or echoed. It removes control characters and the invisible bidi
  controls, and composes the text to NFC.
- **Out** — ``inert``: a user's or provider's value placed in a mrkdwn message can neither
  mention, link nor format (``<!channel>``, ``<http://evil|x>``, ``*bold*``).
- **Fit** — ``cut``: a value or text shortened to a limit with a visible "…".

``check_length`` refuses an over-long field and names its limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TypeVar

from bot.errors import UserInputError

# What ``clean`` removes:
# - C0 controls and DEL (U+0000–001F, U+007F) but tab and newline in multi-line text:
#   NUL, escape sequences, backspace… are never typed on purpose and hide or rewrite text
#   in logs, terminals and provider databases. A carriage return becomes a newline.
# - C1 controls (U+0080–009F): mis-decoded bytes, never text.
# - Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069), and the marks
#   LRM, RLM and ALM (U+200E, U+200F, U+061C): invisible, they reorder what is shown
#   ("Trojan Source", CVE-2021-42574), so "Ng…uyễn" can read as another name and a phone
#   can show digits in another order. callops' text is Vietnamese and English, written
#   left to right, where the marks have no legitimate use; removing them also keeps two
#   names that look the same equal for duplicate checks and CRM search.
# - U+FEFF (BOM / zero-width no-break space): Excel writes it at the start of cells.
# Zero-width joiner and non-joiner stay (emoji sequences use them), and so do combining
# marks: Vietnamese tone marks are combining characters before NFC composes them.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_REMOVE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_SUSPECT = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_LINE_BREAK = re.compile(r"\r\n?")
_SINGLE_LINE_SPACE = re.compile(r"[\t\r\n]+")


def clean(text: str, *, multiline: bool = True) -> str:
    """``text`` without control or bidi characters, composed to NFC.

    Multi-line text keeps tabs and newlines (``\\r\\n`` and ``\\r`` become ``\\n``); a
    single-line value (a name, a file cell) has each run of them replaced by one space.
    Idempotent: ``clean(clean(t)) == clean(t)``.
    """
    if _SUSPECT.search(text) is not None:  # the common case (nothing to remove) is one scan
        text = _LINE_BREAK.sub("\n", text) if multiline else _SINGLE_LINE_SPACE.sub(" ", text)
        text = _REMOVE.sub("", text)
    # NFC after the removal: a control between a letter and its tone mark, once removed,
    # lets them compose. Decomposed input (macOS, some Vietnamese keyboards, Windows-1258
    # files) then equals the precomposed form the providers and the CRM search hold.
    # NFC never produces a character removed above, so a second pass changes nothing.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


T = TypeVar("T")


def clean_deep(value: T) -> T:
    """Every string inside ``value`` (dicts, lists, tuples) cleaned, keys included."""
    if isinstance(value, str):
        return clean(value)  # type: ignore[return-value]
    if isinstance(value, Mapping):
        return {clean_deep(k): clean_deep(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list | tuple):
        return type(value)(clean_deep(v) for v in value)
    return value


# Look-alikes for the characters Slack reads as markup in a user's or provider's value:
# mentions and links need "<" and ">", formatting needs "*", "_", "~" or "`". A look-alike
# reads the same in Slack, in the console and in plain-text fields, where a zero-width
# space would be invisible but break search and copy. (Slack has no backslash escape.)
_ANGLES = str.maketrans({"<": "‹", ">": "›"})
_FORMAT_LOOKALIKE = {"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"}
# Slack only opens or closes a format marker next to a non-word character, so a marker
# between two letters or digits ("nguyen_van_an@mail.vn", "a*b") is kept as typed: emails
# and ids stay copyable. A backtick is always replaced (code spans are less picky).
# ``[^\W_]`` is a letter or digit (``\w`` without the underscore, itself a marker).
_FORMAT_MARK = re.compile(r"`|(?<![^\W_])[*_~]|[*_~](?![^\W_])")


class Markup(str):
    """Text that is Slack markup on purpose (a mention, a catalog sentence): kept as is.

    Joining or adding Markup to Markup gives Markup; mixing in a plain string gives a
    plain string, which ``bot.messages`` makes inert again when it is placed in a sentence.
    """

    __slots__ = ()

    def __add__(self, other: str) -> str:
        joined = str.__add__(self, other)
        return Markup(joined) if isinstance(other, Markup) else joined

    def __radd__(self, other: str) -> str:
        return Markup(other + str(self)) if isinstance(other, Markup) else other + str(self)

    def join(self, iterable: Iterable[str]) -> str:
        """Markup when every part is Markup."""
        parts = list(iterable)
        joined = str.join(self, parts)
        return Markup(joined) if all(isinstance(p, Markup) for p in parts) else joined


def inert(text: str) -> str:
    """``text`` that Slack shows as typed: no mention, link or formatting can come of it."""
    text = text.translate(_ANGLES)
    return _FORMAT_MARK.sub(lambda m: _FORMAT_LOOKALIKE[m.group(0)], text)


ELLIPSIS = "…"


def shown(value: object, limit: int | None = None) -> str:
    """A user's or provider's value placed in mrkdwn outside a catalog sentence: inert, cut."""
    return inert(cut(str(value), SHOWN_MAX if limit is None else limit))


def code(value: object) -> Markup:
    """A value shown as `code`: its own markup characters made inert, cut to ``SHOWN_MAX``."""
    return Markup(f"`{inert(cut(str(value), SHOWN_MAX))}`")


def cut(text: str, limit: int) -> str:
    """``text`` of at most ``limit`` characters, a visible "…" ending a cut one."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + ELLIPSIS


# Product limits on what an operator types. No seed names a limit for a contact's name or
# a CRM note (PROVIDERS.md §1 ``name:str?``, §4 ``content:str (required)``), so these are
# ours: a person's name is far below 200 characters (Vietnamese full names run to ~40),
# and a note of 2,000 still fits one Slack section (3,000) with the words around it.
NAME_MAX = 200
NOTE_MAX = 2000
# A value the bot shows back in a row or sentence (a name, a phone as typed, a cell) is
# cut at this length, so one long value never pushes the others of a page out.
SHOWN_MAX = 200


def check_length(value: str | None, limit: int, key: str, field: str | None = None) -> None:
    """Refuse ``value`` longer than ``limit`` characters: ``key`` names the field and limit."""
    if value is not None and len(value) > limit:
        raise UserInputError(key, field=field, limit=limit, length=len(value))
