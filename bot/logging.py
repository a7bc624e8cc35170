"""Logging for the command line: one line per record on stderr, configured secrets masked.

Tracebacks are kept but folded onto the record's line (``⏎`` marks the breaks) so a log
collector never splits one failure into many records. Masking is the last guard: code
must not log secrets in the first place (``bot.masking.mask`` does the work).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.masking import mask

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
BREAK = " ⏎ "
_HANDLER_NAME = "callops"


class OneLineFormatter(logging.Formatter):
    """``time LEVEL logger: message`` on one line, with the secrets it knows replaced."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__(FORMAT, DATE_FORMAT)
        self.secrets: list[str] = []
        self.hide(secrets)

    def hide(self, secrets: Iterable[str]) -> None:
        """Also mask ``secrets`` from now on (longest first, so no part of one stays)."""
        self.secrets = sorted({*self.secrets, *(s for s in secrets if s)}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = mask(super().format(record), self.secrets)
        return text.replace("\r\n", "\n").replace("\n", BREAK)


def setup_logging(level: int = logging.WARNING, *, stream: TextIO | None = None) -> None:
    """Send every record at ``level`` or above to stderr, one line each (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(OneLineFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # APScheduler reports every run of every poll at INFO, Alembic its dialect at every
    # start (bot.store.migrate says what it migrated): only their problems, unless DEBUG.
    for chatty in ("apscheduler", "alembic"):
        logging.getLogger(chatty).setLevel(
            logging.DEBUG if level <= logging.DEBUG else logging.WARNING
        )


def hide_secrets(secrets: Iterable[str]) -> None:
    """Mask ``secrets`` in every line the callops handler writes."""
    values = list(secrets)
    for handler in logging.getLogger().handlers:
        if handler.get_name() == _HANDLER_NAME and isinstance(handler.formatter, OneLineFormatter):
            handler.formatter.hide(values)
