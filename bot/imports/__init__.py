"""Contact-list imports: parse an uploaded or pasted list into contacts, streaming.

Knows nothing of Slack, the database or the message catalog: it returns data and reason
codes. Refusals (``ParseRefused.reason``, catalog key ``import.<reason>``): ``too_large``,
``too_many_rows``, ``empty``, ``not_a_table``, ``bad_xlsx``, ``bad_csv``, ``no_phone_column``.
Row problems (``RowProblem.reason``, catalog key ``phone.<reason>``): ``missing_phone`` and the
``bot.phones`` reasons (``not_a_number``, ``too_short``, ``too_long``, ``invalid``, ``foreign``),
or a provider's field rule (``bot.imports.rules``: ``invalid_otp``, catalog key
``import.reason.<reason>``; ``rules.problem_key`` gives the key of any reason).
"""

from .model import (
    BAD_CSV,
    BAD_XLSX,
    EMPTY,
    MISSING_PHONE,
    NO_PHONE_COLUMN,
    NOT_A_TABLE,
    SPREADSHEETS,
    TOO_LARGE,
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
from .parser import Upload, open_upload, parse_text, summarize

__all__ = [
    "BAD_CSV",
    "BAD_XLSX",
    "EMPTY",
    "MISSING_PHONE",
    "NOT_A_TABLE",
    "NO_PHONE_COLUMN",
    "SPREADSHEETS",
    "TOO_LARGE",
    "TOO_MANY_ROWS",
    "Columns",
    "Contact",
    "Duplicate",
    "ParseLimits",
    "ParseRefused",
    "ParseSummary",
    "Row",
    "RowProblem",
    "Upload",
    "open_upload",
    "parse_text",
    "summarize",
]
