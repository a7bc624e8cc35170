"""Who reads which language: choices, Slack locales (asked in the background, kept a while),
scopes; a database or Slack that cannot answer leaves the workspace default."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.background import Background
from bot.languages import Languages, language_of_locale, parse_language
from bot.messages import Messages, speaking, spoken
from bot.store import Store, open_store


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("vi-VN", "vi"),
        ("vi", "vi"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("EN_au", "en"),
        ("fr-FR", None),
        ("ja-JP", None),
        ("", None),
        (None, None),
        ("venglish", None),
    ],
)
def test_a_slack_locale_counts_only_when_it_is_vietnamese_or_english(
    locale: str | None, language: str | None
):
    assert language_of_locale(locale) == language


def test_only_vi_and_en_are_languages():
    assert [parse_language(w) for w in ("vi", "EN", " en ", "fr", "auto", "")] == [
        "vi",
        "en",
        "en",
        None,
        None,
        None,
    ]


class Slack:
    """users.info: a locale per user, counted; may fail."""

    def __init__(self) -> None:
        self.locales: dict[str, str] = {}
        self.asked: list[str] = []
        self.down = False
        self.answer = asyncio.Event()  # Slack answers once this is set
        self.answer.set()

    async def locale_of(self, user: str) -> str | None:
        self.asked.append(user)
        await self.answer.wait()
        if self.down:
            raise ConnectionError("slack down")
        return self.locales.get(user)


@pytest.fixture
async def store(tmp_path: Any) -> AsyncIterator[Store]:
    store = open_store(f"sqlite:///{tmp_path}/callops.db")
    yield store
    await store.aclose()


@pytest.fixture
def slack() -> Slack:
    return Slack()


@pytest.fixture
def clock() -> list[float]:
    return [1000.0]


@pytest.fixture
def background() -> Background:
    return Background()


@pytest.fixture
def languages(store: Store, slack: Slack, clock: list[float], background: Background) -> Languages:
    return Languages(
        default="en",
        store=store,
        locale_of=slack.locale_of,
        background=background,
        clock=lambda: clock[0],
    )


async def test_the_locale_is_asked_once_in_the_background_then_kept_until_it_expires(
    languages: Languages, slack: Slack, clock: list[float], background: Background
):
    slack.locales["U1"] = "vi-VN"
    slack.answer.clear()  # a slow Slack
    assert (await languages.resolve("U1", "C1")).user == "en"  # not known yet: no waiting
    assert (await languages.resolve("U1", "C1")).user == "en"
    slack.answer.set()
    await background.drain()
    assert slack.asked == ["U1"]  # one question, however many requests meanwhile
    assert (await languages.resolve("U1", "C1")).user == "vi"
    clock[0] += languages.locale_ttl - 1
    assert (await languages.resolve("U1", "C1")).user == "vi"
    assert slack.asked == ["U1"]
    slack.locales["U1"] = "en-US"  # changed in Slack
    clock[0] += 2
    slack.answer.clear()
    assert (await languages.resolve("U1", "C1")).user == "vi"  # the old one while asking
    slack.answer.set()
    await background.drain()
    assert slack.asked == ["U1", "U1"]
    assert (await languages.resolve("U1", "C1")).user == "en"


async def test_slack_failing_keeps_what_was_known_and_asks_again_sooner(
    languages: Languages, slack: Slack, clock: list[float], background: Background
):
    slack.locales["U1"] = "vi-VN"
    await languages.resolve("U1", "C1")
    await background.drain()
    slack.down = True
    clock[0] += languages.locale_ttl + 1
    await languages.resolve("U1", "C1")
    await background.drain()
    assert (await languages.resolve("U1", "C1")).user == "vi"
    assert len(slack.asked) == 2
    clock[0] += languages.retry_ttl + 1
    slack.down = False
    await languages.resolve("U1", "C1")
    await background.drain()
    assert len(slack.asked) == 3


async def test_a_choice_wins_over_the_locale_and_a_channel_has_its_own(
    languages: Languages, slack: Slack, background: Background
):
    slack.locales["U1"] = "en-US"
    await languages.resolve("U1", "C1")
    await background.drain()
    await languages.choose_for_user("U1", "vi")
    await languages.choose_for_channel("C1", "vi", "U0ADMIN")
    assert await languages.resolve("U1", "C1") == await languages.resolve("U1", "C1")
    spoken_now = await languages.resolve("U1", "C1")
    assert (spoken_now.user, spoken_now.channel) == ("vi", "vi")
    assert (await languages.resolve("U2", "C2")).channel == "en"
    await languages.choose_for_user("U1", None)
    assert (await languages.resolve("U1", "C1")).user == "en"  # the locale again


async def test_a_database_that_cannot_answer_leaves_the_default(
    languages: Languages, monkeypatch: pytest.MonkeyPatch
):
    async def broken(**_: Any) -> dict[str, str]:
        raise OSError("database gone")

    monkeypatch.setattr(languages.choices, "chosen", broken)
    spoken_now = await languages.resolve("U1", "C1")
    assert (spoken_now.user, spoken_now.channel) == ("en", "en")


async def test_a_scoped_catalog_speaks_the_scope_of_its_task_and_tasks_started_in_it():
    msg = Messages.scoped("en")
    assert msg.language == "en" and spoken() is None
    seen: list[str] = []

    async def later() -> None:
        await asyncio.sleep(0)
        seen.append(msg.language)

    with speaking("vi"):
        assert msg("language.name.vi") == "Tiếng Việt" and msg.language == "vi"
        assert Messages("en").language == "en"  # a fixed catalog stays fixed
        task = asyncio.get_running_loop().create_task(later())
    assert msg.language == "en"
    await task
    assert seen == ["vi"]


async def test_a_channel_scope_speaks_the_channels_language(languages: Languages):
    await languages.choose_for_channel("C1", "vi", "U0ADMIN")
    shared = Messages.scoped("en")
    with speaking("en"):  # a request of a user reading English...
        async with languages.channel_scope("C1") as msg:  # ...posting in a Vietnamese channel
            assert msg.language == "vi" and shared.language == "vi"
        assert shared.language == "en"


async def test_the_locales_kept_stay_within_a_bound(
    languages: Languages, slack: Slack, background: Background
):
    languages.locales_kept = 3
    for n in range(10):
        slack.locales[f"U{n}"] = "vi-VN"
        await languages.resolve(f"U{n}", "C1")
        await background.drain()
        assert len(languages._locales) <= 3
    assert (await languages.resolve("U9", "C1")).user == "vi"


def _replica(store: Store, slack: Slack, clock: list[float], background: Background) -> Languages:
    """The languages of another replica on the same database."""
    return Languages(
        default="en",
        store=store,
        locale_of=slack.locale_of,
        background=background,
        clock=lambda: clock[0],
    )


async def test_a_choice_shows_at_once_here_and_within_the_ttl_on_another_replica(
    languages: Languages, store: Store, slack: Slack, clock: list[float], background: Background
):
    other = _replica(store, slack, clock, background)  # another replica, same database
    assert (await other.resolve("U1", "C1")).user == "en"  # read, and kept a few seconds
    await languages.choose_for_user("U1", "vi")
    assert (await languages.resolve("U1", "C1")).user == "vi"  # here: at once
    assert (await other.resolve("U1", "C1")).user == "en"  # there: what it read, for now
    clock[0] += other.choices_ttl
    assert (await other.resolve("U1", "C1")).user == "vi"  # there: within choices_ttl
    await languages.choose_for_channel("C1", "vi", by="U9")
    assert (await languages.of_channel("C1")) == "vi"
    assert (await languages.settings("U1", "C1")).channel_choice == "vi"  # always the rows
    assert (await other.settings("U1", "C1")).channel_choice == "vi"
    await background.drain()


async def test_last_known_uses_only_what_is_kept_however_old_and_asks_nobody(
    languages: Languages, store: Store, slack: Slack, clock: list[float], background: Background
):
    other = _replica(store, slack, clock, background)  # another replica, same database
    slack.locales["U2"] = "vi-VN"
    assert languages.last_known("U2") == "en"  # never seen: the default...
    await background.drain()
    assert slack.asked == []  # ...and Slack is not asked for it
    await languages.resolve("U2", "C1")  # a request that runs asks, in the background
    await background.drain()
    assert languages.last_known("U2") == "vi"  # the locale as last told

    await languages.choose_for_user("U1", "vi")
    assert languages.last_known("U1") == "vi"  # a choice made here: at once
    assert other.last_known("U1") == "en"  # another replica has not read it
    assert (await other.resolve("U1", "C1")).user == "vi"
    clock[0] += other.choices_ttl * 100
    assert other.last_known("U1") == "vi"  # read there once: kept past its freshness
    await languages.choose_for_user("U1", None)
    assert languages.last_known("U1") == "en"  # forgotten: the default (no locale known)
    await languages.choose_for_user("U2", "en")
    assert languages.last_known("U2") == "en"  # a choice wins over the locale
    await background.drain()
    assert slack.asked == ["U2"]
