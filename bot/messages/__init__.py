"""The one message catalog: every sentence a user sees, in English and Vietnamese.

Code refers to keys; ``Messages(language)(key, **params)`` gives the sentence. The
catalog itself is ``bot.messages.catalog.MESSAGES``: key → (English, Vietnamese).
"""

from __future__ import annotations

import logging
import string
from typing import Literal

from bot import hygiene
from bot.hygiene import Markup
from bot.messages.catalog import MESSAGES

Language = Literal["en", "vi"]
LANGUAGES: tuple[Language, ...] = ("en", "vi")

log = logging.getLogger(__name__)


def mention(user_id: str) -> Markup:
    """``<@U…>``: a user mention."""
    return Markup(f"<@{user_id}>")


def mentions(user_ids: list[str]) -> Markup:
    """Several users, comma separated (``—`` for nobody)."""
    return Markup(", ".join(mention(u) for u in user_ids) or "—")


def channel_link(channel_id: str) -> Markup:
    """``<#C…>``: a channel link."""
    return Markup(f"<#{channel_id}>")


# Values from users and providers must not become Slack markup ("<!channel>" would ping a
# whole channel, "<http://…|…>" would disguise a link, "*…*" would shout): ``hygiene.inert``
# turns the characters Slack reads as markup into look-alikes, which read the same in
# Slack, the console and plain-text fields. One value is also cut to ``VALUE_MAX``: a
# 40 KB name typed or stored at a provider cannot push a sentence past Slack's limits.
VALUE_MAX = 1000


def inert(value: object) -> object:
    """A parameter made safe to place in a message (Markup and non-text left as they are)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return hygiene.inert(hygiene.cut(value, VALUE_MAX))
    return value


# Values every sentence may use, each defined once where its fact lives (the queue types
# come from the provider's enum: ``commands.queue``); a call's own params win.
_SHARED: dict[str, Markup] = {}


def share(name: str, value: str) -> None:
    """Make ``{name}`` mean ``value`` (our own text, placed as is) in every sentence."""
    _SHARED[name] = Markup(value)


class _Keep(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Messages:
    """Sentences of the catalog in one language."""

    def __init__(self, language: Language = "en") -> None:
        self.language = language
        self._index = LANGUAGES.index(language)

    def __call__(self, key: str, /, **params: object) -> str:
        """The sentence for ``key`` with ``params`` filled in."""
        entry = MESSAGES.get(key)
        if entry is None:
            log.error("message key %r is missing from the catalog", key)
            return key
        safe = {name: inert(value) for name, value in params.items()}
        # A sentence of the catalog is markup on purpose: placed in another, it stays as is.
        return Markup(entry[self._index].format_map(_Keep({**_SHARED, **safe})))

    def has(self, key: str) -> bool:
        """True when the catalog has ``key``."""
        return key in MESSAGES


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
