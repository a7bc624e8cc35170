"""Log lines: one per record, as text or one JSON object (``log_format: json``), secrets masked."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.config import parse_config
from bot.logging import hide_secrets, setup_logging, use_log_format
from bot.masking import MASK

SECRET = "xoxb-very-secret-token-123"
CONNECTIONS = {"aicc": {"provider": "aicallcenter", "base_url": "http://x", "secret_key": "k"}}


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    setup_logging(logging.INFO, stream=stream)
    hide_secrets([SECRET])
    yield stream
    setup_logging(logging.WARNING)  # back to the default handler on stderr


def test_json_lines_parse_and_mask_secrets(log_stream: io.StringIO):
    use_log_format("json")
    log = logging.getLogger("callops.test")
    log.info("connected with %s", SECRET)
    try:
        raise RuntimeError(f"refused api_key=abc123 and {SECRET}")
    except RuntimeError:
        log.exception("the provider failed")
    lines = log_stream.getvalue().splitlines()
    assert len(lines) == 2  # one line per record, the traceback included
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "callops.test"
    assert first["message"] == f"connected with {MASK}"
    assert second["message"] == "the provider failed"
    assert "RuntimeError" in second["error"]
    assert SECRET not in lines[1] and "abc123" not in lines[1]


def test_text_is_the_default_and_json_can_be_switched_back(log_stream: io.StringIO):
    log = logging.getLogger("callops.test")
    log.warning("plain %s", SECRET)
    use_log_format("json")
    use_log_format("text")
    log.warning("plain again")
    lines = log_stream.getvalue().splitlines()
    assert lines[0].endswith(f"WARNING callops.test: plain {MASK}")
    assert lines[1].endswith("WARNING callops.test: plain again")


def test_log_format_comes_from_the_config_or_the_environment():
    assert parse_config({"connections": CONNECTIONS}, "callops.yml", {}).log_format == "text"
    raw = {"connections": CONNECTIONS, "log_format": "json"}
    assert parse_config(raw, "callops.yml", {}).log_format == "json"
    env = {"CALLOPS_LOG_FORMAT": "json"}
    assert parse_config({"connections": CONNECTIONS}, "callops.yml", env).log_format == "json"
