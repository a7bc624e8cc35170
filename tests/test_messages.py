"""The message catalog: both languages, same placeholders, every key used exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.messages import Messages, placeholders
from bot.messages.catalog import MESSAGES, PARTS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_english_and_vietnamese_use_the_same_placeholders(key: str) -> None:
    english, vietnamese = MESSAGES[key]
    assert english.strip() and vietnamese.strip()
    assert placeholders(english) == placeholders(vietnamese)


def test_no_key_is_defined_in_two_parts() -> None:
    seen: dict[str, int] = {}
    for index, part in enumerate(PARTS):
        for key in part:
            assert key not in seen, f"{key} is defined twice"
            seen[key] = index


def test_every_literal_key_used_in_the_code_is_in_the_catalog() -> None:
    pattern = re.compile(
        r"""(?:msg|messages|\bm)\(\s*"([a-z_]+\.[a-z0-9_.]+)"|"""
        r"""(?:UserInputError|PermissionDenied)\(\s*"([a-z_]+\.[a-z0-9_.]+)"|"""
        r"""usage="([a-z_.]+)\""""
    )
    missing = set()
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("commands").rglob("*.py")]:
        if "sandbox" in path.parts:
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            key = next(g for g in match.groups() if g)
            if key not in MESSAGES:
                missing.add(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, sorted(missing)


def test_vietnamese_is_served_when_configured() -> None:
    assert Messages("vi")("queue.on") == "bật"
    assert Messages("en")("queue.on") == "on"


def test_a_missing_placeholder_stays_visible_instead_of_crashing() -> None:
    assert "{ref}" in Messages("en")("error.internal")
