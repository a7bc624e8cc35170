"""The calls catalog: every sentence in both languages, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

from bot.messages import Messages, placeholders
from bot.messages.calls import MESSAGES
from bot.messages.catalog import MESSAGES as CATALOG

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    "commands/calls.py",
    "bot/render/calls.py",
    "bot/summaries/service.py",
    "bot/summaries/render.py",
]
# Keys built at run time, by their fixed part and the values they can take.
DYNAMIC = {
    "calls.bad_period.": ("format", "date", "reversed", "future", "too_long"),
    "summary.state.": ("posting", "posted", "provider_error", "error", "failed"),
    "summary.day.": ("today", "yesterday", "progress"),
}


def test_every_calls_sentence_has_english_and_vietnamese_with_the_same_placeholders():
    for key, (english, vietnamese) in MESSAGES.items():
        assert english.strip() and vietnamese.strip(), key
        assert placeholders(english) == placeholders(vietnamese), key


def test_every_key_the_calls_code_names_is_in_the_catalog():
    keys: set[str] = set()
    for source in SOURCES:
        text = (ROOT / source).read_text(encoding="utf-8")
        keys |= set(re.findall(r'"((?:calls|summary|usage\.calls)\.[a-z_.]+[a-z_])"', text))
    for prefix, values in DYNAMIC.items():
        keys |= {prefix + value for value in values}
    missing = sorted(k for k in keys if k not in CATALOG)
    assert missing == []


def test_the_calls_keys_do_not_redefine_keys_of_other_parts():
    from bot.messages.catalog import PARTS

    for part in PARTS:
        if part is not MESSAGES:
            assert set(MESSAGES).isdisjoint(part)


def test_the_unsupported_sentence_for_calls_reads_well():
    assert Messages("en")("capability.calls") == "show call statistics or campaign progress"
