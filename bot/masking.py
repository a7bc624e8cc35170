"""Secrets out of text: configured values and ``…token=``/``…key=`` options, masked.

Standard library only, so logging (set up by every ``callops`` command) can use it
without loading the rest of the bot.
"""

from __future__ import annotations

import re

MASK = "••••"
_SECRET_OPTION = re.compile(
    r"\b((?:[a-z_]*(?:token|secret|password|passwd|api_key|apikey|key))\s*=\s*)(\"[^\"]*\"|\S+)",
    re.IGNORECASE,
)


def mask(text: str, secrets: list[str]) -> str:
    """``text`` with configured secrets and ``…token=``/``…key=`` values replaced by a mask."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, MASK)
    return _SECRET_OPTION.sub(lambda m: m.group(1) + MASK, text)
