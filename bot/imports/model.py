"""What the contact-list parser returns: limits, rows, problems, the summary and its one error."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import UserInputError

# Refusal codes: the whole upload cannot be imported (catalog key ``import.<reason>``),
# with the params each one carries for its sentence.
TOO_LARGE = "too_large"  # limit, size (bytes); unzipped=True for an .xlsx/.ods that inflates
TOO_MANY_ROWS = "too_many_rows"  # limit
EMPTY = "empty"  # header_only=True when a header has no rows under it
NOT_A_TABLE = "not_a_table"  # kind: "png", "pdf", "docx"… or "binary"
BAD_XLSX = "bad_xlsx"  # any workbook (xlsx, xls, ods) that cannot be read
BAD_CSV = "bad_csv"  # line where the record that could not be read starts
NO_PHONE_COLUMN = "no_phone_column"  # headers: the non-empty header cells seen

# Row problem code on top of the ``bot.phones`` reasons (catalog key ``phone.<reason>``).
MISSING_PHONE = "missing_phone"

SAMPLE_SIZE = 10

# Upload kinds read as workbooks, first sheet only (the others are text: csv, txt, paste).
SPREADSHEETS = ("xlsx", "xls", "ods")


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """How big an upload may be; Slack's ``file_input`` cap and the product's row cap."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 200_000
    # An .xlsx or .ods is a zip: its XML can be far bigger than the upload (a zip bomb at worst).
    max_unzipped_bytes: int = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Contact:
    """A valid row: normalized phone, optional name, personalization fields by header."""

    line: int
    phone: str
    name: str | None
    fields: dict[str, str]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that cannot be imported; ``reason`` is a ``bot.phones`` code, ``missing_phone``
    or a field rule's code (``bot.imports.rules``, with the ``value`` at fault)."""

    line: int
    raw_phone: str
    reason: str
    name: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A row whose phone already appeared earlier in the file (at ``first_line``)."""

    line: int
    phone: str
    first_line: int


Row = Contact | RowProblem | Duplicate


@dataclass(frozen=True, slots=True)
class Columns:
    """What the header said: the phone and name headers as written, and the extra fields."""

    has_header: bool
    phone: str | None
    name: str | None
    fields: tuple[str, ...]
    phone_index: int = field(default=0, repr=False)
    name_index: int | None = field(default=None, repr=False)
    field_indexes: tuple[int, ...] = field(default=(), repr=False)


@dataclass
class ParseSummary:
    """The preview of an upload: counts, the recognised columns and the first problems."""

    kind: str
    encoding: str | None
    delimiter: str | None
    columns: Columns
    rows_read: int = 0
    valid: int = 0
    invalid: int = 0
    duplicates: int = 0
    invalid_samples: list[RowProblem] = field(default_factory=list)
    duplicate_samples: list[Duplicate] = field(default_factory=list)


class ParseRefused(UserInputError):
    """The upload cannot be imported at all; ``reason`` is a code, ``params`` fill the sentence."""

    def __init__(self, reason: str, /, *, field: str = "file", **params: object) -> None:
        super().__init__(f"import.{reason}", field=field, **params)
        self.reason = reason
