"""The ``key=value`` grammar of every slash command.

``/queue set 1001 strategy=vip wait=60`` → positional ``["set", "1001"]`` and options
``{"strategy": "vip", "wait": "60"}``. Quotes group words (``name="Nguyễn Văn An"``);
Slack's curly quotes count as quotes; an unbalanced quote is read literally.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from bot.errors import UserInputError

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class Args:
    """A parsed command line: words in order and ``key=value`` options."""

    positional: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    raw: str = ""
    # Options typed more than once (``campaign=101 campaign=102``): refused, never one picked.
    repeated: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def first(self, default: str | None = None) -> str | None:
        """The first positional word, or ``default``."""
        return self.positional[0] if self.positional else default

    def rest(self, start: int = 0) -> str:
        """The positional words from ``start`` on, joined by spaces."""
        return " ".join(self.positional[start:])

    def get(self, key: str, default: str | None = None) -> str | None:
        """An option's value, or ``default``."""
        return self.options.get(key, default)

    def shift(self, count: int = 1) -> Args:
        """The same arguments without the first ``count`` words."""
        raw = self.raw
        for word in self.positional[:count]:
            raw = raw.lstrip().removeprefix(word)
        return Args(self.positional[count:], dict(self.options), raw.strip(), dict(self.repeated))


def is_number(word: str) -> bool:
    """True when ``word`` is ASCII digits (``str.isdigit`` also takes ``²`` and ``١٢``)."""
    return word.isascii() and word.isdigit()


def parse_args(text: str) -> Args:
    """Split a command's text into positional words and ``key=value`` options."""
    text = text.translate(_QUOTES).strip()
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    positional: list[str] = []
    options: dict[str, str] = {}
    given: dict[str, list[str]] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if sep and key and key.replace("_", "").isalnum() and not key[0].isdigit():
            options[key.lower()] = value
            given.setdefault(key.lower(), []).append(value)
        else:
            positional.append(word)
    repeated = {key: tuple(values) for key, values in given.items() if len(values) > 1}
    return Args(positional, options, text, repeated)


def page_option(args: Args) -> int:
    """The 0-based page from ``page=N`` (users count from 1)."""
    raw = args.get("page", "1") or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise UserInputError("usage.bad_page", value=raw)
    return int(raw) - 1
