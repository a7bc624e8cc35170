"""Which language each reader gets: a user's own, a channel's, the workspace's.

- One user (ephemeral replies, modals, App Home): their ``/callops language``, else their
  Slack locale when it is Vietnamese or English (``vi-VN``, ``en-*``), else the default.
- A channel (job progress and results, summaries, alerts: what everyone there sees): an
  admin's ``/callops language channel``, else the default.
- The default: ``language:`` of callops.yml.

The choices are rows in the database (``bot.store.languages``), read by the language
middleware (its caller's and its channel's, one query) and kept per (user, channel) for
``choices_ttl`` (5 s): a busy operator's commands do not each ask the database again. A
choice made on this replica shows at once (it forgets what it kept); one made on another
replica shows here within ``choices_ttl``. ``/callops language`` always reads the rows.

A user's Slack locale comes from ``users.info`` (``include_locale``), asked
in the background and kept per user for ``locale_ttl``: a request never waits for Slack, so
the first request of a user the bot has not asked yet is answered in the default while it
asks. Nothing here ever fails a request: a database or Slack that cannot answer leaves the
workspace default.

The edge answers some requests before any listener, when it must not wait for the database
or Slack (the busy answer of an overloaded bot, an unreadable request, a forged form):
``last_known(user)`` gives the language from what this replica keeps only — the user's
choice as last read or made here (however old), else their Slack locale as last told.

How code picks the language, using the catalog as before:

- a handler: ``ctx.msg`` (the caller's); ``ctx.channel_msg`` for a reply it posts for
  everyone in the channel (``Message(ephemeral=False)``);
- the shared catalog (``Services.messages``, the job engine's, the summaries'): the scope
  of the running task (``Messages.scoped``): the caller's in a request and its work after
  the reply; the channel's in a job run and in a job's message (``Progress``), a summary
  post, the audit copy;
- other work that posts in a channel outside a request (a scheduled alert): wrap it in
  ``async with languages.channel_scope(channel):``, else it speaks the default.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.background import Background
from bot.messages import LANGUAGES, Language, Messages, speaking
from bot.store import Store
from bot.store.languages import CHANNEL, USER, LanguageStore

log = logging.getLogger(__name__)

__all__ = ["Languages", "LocaleOf", "Settings", "Spoken", "language_of_locale", "parse_language"]

# Asks the chat for a user's locale ("vi-VN", "en-US"; None: it has none to tell).
LocaleOf = Callable[[str], Awaitable[str | None]]


def parse_language(word: str) -> Language | None:
    """``vi``/``en`` (any case) as a language; None for anything else."""
    word = word.strip().lower()
    return next((language for language in LANGUAGES if language == word), None)


def language_of_locale(locale: str | None) -> Language | None:
    """Slack's ``locale`` as a language the bot speaks: ``vi-VN`` → vi, ``en-*`` → en, else None."""
    prefix = (locale or "").split("-", 1)[0].split("_", 1)[0]
    return parse_language(prefix) if prefix else None


@dataclass(frozen=True, slots=True)
class Spoken:
    """The languages of one request: its caller's, and its channel's."""

    user: Language
    channel: Language


@dataclass(frozen=True, slots=True)
class Settings:
    """What ``/callops language`` shows: each source, and what it comes to."""

    user_choice: Language | None
    locale: str | None  # the user's Slack locale, when the bot knows it
    channel_choice: Language | None
    default: Language

    @property
    def user(self) -> Language:
        """The language the user is answered in."""
        return self.user_choice or language_of_locale(self.locale) or self.default

    @property
    def channel(self) -> Language:
        """The language of the channel's posts."""
        return self.channel_choice or self.default


@dataclass(slots=True)
class _Locale:
    value: str | None
    expires: float


class Languages:
    """Resolves and records who reads which language (see the module docstring)."""

    locale_ttl = 6 * 3600.0  # a user's Slack locale is asked again after this many seconds
    retry_ttl = 300.0  # ... or after this many when Slack could not answer
    locales_kept = 20_000  # users whose locale is kept at most (a workspace has fewer)
    # The choices read for a (user, channel) are used again for this many seconds: the
    # bound on how late a choice made on another replica shows here.
    choices_ttl = 5.0
    choices_kept = 20_000  # (user, channel) pairs kept at most

    def __init__(
        self,
        *,
        default: Language,
        store: Store,
        locale_of: LocaleOf,
        background: Background,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.default = default
        self.choices = LanguageStore(store)
        self._locale_of = locale_of
        self._background = background
        self._clock = clock
        self._locales: dict[str, _Locale] = {}
        self._asking: set[str] = set()
        self._choices: dict[tuple[str, str], tuple[float, dict[str, str]]] = {}
        self._chosen_here = 0  # choices made on this replica so far
        # Each user's own choice as last read or made here, kept past ``choices_ttl``
        # (``last_known``); a user read without one is not in it.
        self._last_choices: dict[str, Language] = {}

    # Reading

    async def resolve(self, user: str, channel: str) -> Spoken:
        """The caller's and the channel's languages (one database read, never raising)."""
        chosen = await self._chosen(user=user, channel=channel)
        return Spoken(
            user=_known(chosen.get(USER)) or self.locale_language(user) or self.default,
            channel=_known(chosen.get(CHANNEL)) or self.default,
        )

    async def of_channel(self, channel: str) -> Language:
        """The language of the posts everyone in ``channel`` sees."""
        return _known((await self._chosen(channel=channel)).get(CHANNEL)) or self.default

    async def of_user(self, user: str) -> Language:
        """The language ``user`` is answered in (App Home, outside a command)."""
        chosen = await self._chosen(user=user)
        return _known(chosen.get(USER)) or self.locale_language(user) or self.default

    def last_known(self, user: str) -> Language:
        """The language ``user`` is answered in, from what is kept here only: never waits,
        never reads the database, never asks Slack (the edge's answers before an ack).

        Their choice as last read or made on this replica, else their Slack locale as last
        told, else the default. (An unknown locale is not asked here: a bot answering busy
        is overloaded, and the user's next request that runs asks for it.)
        """
        choice = self._last_choices.get(user)
        if choice is not None:
            return choice
        known = self._locales.get(user)
        return language_of_locale(known.value if known else None) or self.default

    async def settings(self, user: str, channel: str) -> Settings:
        """Every source of the caller's and the channel's languages (``/callops language``)."""
        chosen = await self.choices.chosen(user=user, channel=channel)
        known = self._locales.get(user)
        return Settings(
            user_choice=_known(chosen.get(USER)),
            locale=known.value if known else None,
            channel_choice=_known(chosen.get(CHANNEL)),
            default=self.default,
        )

    @asynccontextmanager
    async def channel_scope(self, channel: str) -> AsyncIterator[Messages]:
        """Within the block, scoped catalogs speak ``channel``'s language (it is yielded too)."""
        language = await self.of_channel(channel)
        with speaking(language):
            yield Messages(language)

    # Recording

    async def choose_for_user(self, user: str, language: Language | None) -> None:
        """The user's own language; None forgets it (back to the Slack locale)."""
        try:
            if language is None:
                await self.choices.forget(USER, user)
            else:
                await self.choices.choose(USER, user, language, user)
            self._last_choice(user, language)
        finally:
            self._chosen_here += 1
            self._choices.clear()  # shown at once on this replica

    async def choose_for_channel(self, channel: str, language: Language | None, by: str) -> None:
        """The channel's language, chosen by an admin; None forgets it (back to the default)."""
        try:
            if language is None:
                await self.choices.forget(CHANNEL, channel)
            else:
                await self.choices.choose(CHANNEL, channel, language, by)
        finally:
            self._chosen_here += 1
            self._choices.clear()  # shown at once on this replica

    # Slack locales

    def locale_language(self, user: str) -> Language | None:
        """The language of the user's Slack locale as last known; asks Slack in the
        background when it is unknown or old (never waits for it)."""
        known = self._locales.get(user)
        if user and (known is None or known.expires <= self._clock()) and user not in self._asking:
            self._asking.add(user)
            self._background.spawn(self._ask_locale(user), name="users.info locale")
        return language_of_locale(known.value) if known else None

    async def _ask_locale(self, user: str) -> None:
        try:
            locale = await self._locale_of(user)
        except Exception as error:  # Slack down or rate limited: ask again a bit later
            log.warning("could not read the Slack locale of %s: %s", user, type(error).__name__)
            known = self._locales.get(user)
            self._keep(user, known.value if known else None, self.retry_ttl)
        else:
            self._keep(user, locale, self.locale_ttl)
        finally:
            self._asking.discard(user)

    def _keep(self, user: str, locale: str | None, ttl: float) -> None:
        if user not in self._locales and len(self._locales) >= self.locales_kept:
            self._locales.clear()  # asked again as they come: never more than a bound
        self._locales[user] = _Locale(locale, self._clock() + ttl)

    async def _chosen(self, *, user: str = "", channel: str = "") -> dict[str, str]:
        key = (user, channel)
        now = self._clock()
        kept = self._choices.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        chosen_here = self._chosen_here
        try:
            chosen = await self.choices.chosen(user=user or None, channel=channel or None)
        except Exception:  # the database: the request goes on in the default language
            log.exception("could not read the language choices")
            return {}
        if chosen_here != self._chosen_here:
            return chosen  # a choice was made meanwhile: what was read may predate it
        if user:
            self._last_choice(user, _known(chosen.get(USER)))
        if key not in self._choices and len(self._choices) >= self.choices_kept:
            self._choices.clear()  # read again as they come: never more than a bound
        self._choices[key] = (now + self.choices_ttl, chosen)
        return chosen

    def _last_choice(self, user: str, language: Language | None) -> None:
        if language is None:
            self._last_choices.pop(user, None)
            return
        if user not in self._last_choices and len(self._last_choices) >= self.choices_kept:
            self._last_choices.clear()  # read again as they come: never more than a bound
        self._last_choices[user] = language


def _known(value: str | None) -> Language | None:
    """A stored language the bot still speaks (None for a row it cannot use)."""
    return parse_language(value) if value else None
