"""The one message catalog: every sentence a user sees, in English and Vietnamese.

Code refers to keys; ``Messages(language)(key, **params)`` gives the sentence. The
catalog itself is ``bot.messages.catalog.MESSAGES``: key → (English, Vietnamese).

Who reads a sentence decides its language (``bot.languages``): a reply to one user is in
that user's, a post everyone in a channel sees in the channel's. ``Messages.scoped`` is the
catalog the bot's long-lived parts hold (the job engine, the summaries, the services): it
speaks the language of the ``speaking`` scope the running task is in (the request
middleware opens the caller's; a job run or a summary post its channel's), and the
workspace default outside any. Code keeps calling ``msg(key)``: the scope does the rest.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

from bot import hygiene
from bot.hygiene import Markup
from bot.messages.catalog import MESSAGES

Language = Literal["en", "vi"]
LANGUAGES: tuple[Language, ...] = ("en", "vi")
_INDEX = {language: index for index, language in enumerate(LANGUAGES)}

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


# The language of whoever the running task is addressing (None: nobody in particular).
# A context variable: each request and each job run is a task with its own value, and a
# task started inside a scope (the work after a reply) inherits it.
_SPEAKING: ContextVar[Language | None] = ContextVar("callops_speaking", default=None)


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Within the block (and the tasks started in it) scoped catalogs speak ``language``."""
    token = _SPEAKING.set(language)
    try:
        yield
    finally:
        _SPEAKING.reset(token)


def spoken() -> Language | None:
    """The language of the current ``speaking`` scope, None outside any."""
    return _SPEAKING.get()


class Messages:
    """Sentences of the catalog in one language."""

    def __init__(self, language: Language = "en", *, scoped: bool = False) -> None:
        self._language = language
        self._scoped = scoped

    @classmethod
    def scoped(cls, default: Language) -> Messages:
        """The catalog in the current ``speaking`` scope's language, else ``default``."""
        return cls(default, scoped=True)

    @property
    def language(self) -> Language:
        """The language the next sentence will be in."""
        if self._scoped:
            return _SPEAKING.get() or self._language
        return self._language

    def __call__(self, key: str, /, **params: object) -> str:
        """The sentence for ``key`` with ``params`` filled in."""
        entry = MESSAGES.get(key)
        if entry is None:
            log.error("message key %r is missing from the catalog", key)
            return key
        safe = {name: inert(value) for name, value in params.items()}
        text = entry[_INDEX[self.language]]
        # A sentence of the catalog is markup on purpose: placed in another, it stays as is.
        return Markup(text.format_map(_Keep({**_SHARED, **safe})))

    def has(self, key: str) -> bool:
        """True when the catalog has ``key``."""
        return key in MESSAGES


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
