"""Where the console's log lines go: a file; stderr only when asked or when no file can be had."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logging import setup_console_logging


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:], root.level = handlers, level


def test_records_go_to_the_file_and_stderr_only_at_the_level_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "log" / "console.log"
    assert setup_console_logging(file, stderr_level=logging.WARNING) == file
    log = logging.getLogger("bot.test")
    log.info("an import started")
    log.warning("a provider is slow")
    err = capsys.readouterr().err
    assert "a provider is slow" in err and "an import started" not in err
    written = file.read_text(encoding="utf-8")
    assert " INFO bot.test: an import started" in written
    assert " WARNING bot.test: a provider is slow" in written


def test_without_a_writable_file_warnings_still_reach_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    assert setup_console_logging(blocker / "log" / "console.log") is None
    logging.getLogger("bot.test").warning("a provider is slow")
    assert "a provider is slow" in capsys.readouterr().err
