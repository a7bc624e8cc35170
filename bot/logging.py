"""Logging for the command line: one line per record, configured secrets masked.

Lines are text by default, or one JSON object each (``log_format: json``) for a log
collector.

The bot logs on stderr; the console logs to a file (``console_log_file``), since its
stdout and stderr are the screen the user reads the replies on.

Tracebacks are kept but folded onto the record's line (``⏎`` marks the breaks) so a log
collector never splits one failure into many records. Masking is the last guard: code
must not log secrets in the first place (``bot.masking.mask`` does the work).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.masking import mask

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
BREAK = " ⏎ "
_HANDLER_NAME = "callops"
LOG_FILE_BYTES = 1_000_000  # a console log is rotated past this size, three old ones kept
LOG_FILE_BACKUPS = 3


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


class JsonLineFormatter(OneLineFormatter):
    """One JSON object a line: ``time``, ``level``, ``logger``, ``message`` and, after a
    failure, ``error`` (the traceback); the secrets it knows replaced in each."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "time": self.formatTime(record, DATE_FORMAT),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage(), self.secrets),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["error"] = mask(record.exc_text, self.secrets)
        return json.dumps(line, ensure_ascii=False)


class CurrentStderr(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is at each record, so a prompt that redirects it works."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record to today's ``sys.stderr``."""
        self.stream = sys.stderr
        super().emit(record)


def setup_logging(level: int = logging.WARNING, *, stream: TextIO | None = None) -> None:
    """Send every record at ``level`` or above to stderr, one line each (idempotent)."""
    _install([logging.StreamHandler(stream or sys.stderr)], level)


def setup_console_logging(
    file: Path | None, level: int = logging.INFO, *, stderr_level: int | None = None
) -> Path | None:
    """Records at ``level`` to ``file``; to stderr only at ``stderr_level``, when given.

    Returns the file written to, or None when it cannot be opened (then stderr gets
    WARNING and above, so problems are not lost).
    """
    handlers: list[logging.Handler] = []
    if file is not None:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            with file.open("a", encoding="utf-8"):
                pass  # writable? (the handler itself opens the file at the first record)
            to_file = logging.handlers.RotatingFileHandler(
                file,
                maxBytes=LOG_FILE_BYTES,
                backupCount=LOG_FILE_BACKUPS,
                encoding="utf-8",
                delay=True,  # a console that logs nothing holds no file open
            )
        except OSError:
            file = None
        else:
            to_file.setLevel(level)
            handlers.append(to_file)
    if file is None and stderr_level is None:
        stderr_level = logging.WARNING
    if stderr_level is not None:
        to_stderr = CurrentStderr()
        to_stderr.setLevel(stderr_level)
        handlers.append(to_stderr)
    _install(handlers, min(h.level for h in handlers))
    return file


def _install(handlers: list[logging.Handler], level: int) -> None:
    """Replace callops' handlers on the root logger by ``handlers`` (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
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


def use_log_format(name: str) -> None:
    """Write callops' log lines as ``text`` (the default) or ``json`` from now on."""
    cls = JsonLineFormatter if name == "json" else OneLineFormatter
    for handler in logging.getLogger().handlers:
        old = handler.formatter
        if not isinstance(old, OneLineFormatter) or handler.get_name() != _HANDLER_NAME:
            continue
        if type(old) is not cls:
            handler.setFormatter(cls(old.secrets))


def hide_secrets(secrets: Iterable[str]) -> None:
    """Mask ``secrets`` in every line the callops handler writes."""
    values = list(secrets)
    for handler in logging.getLogger().handlers:
        if handler.get_name() == _HANDLER_NAME and isinstance(handler.formatter, OneLineFormatter):
            handler.formatter.hide(values)
