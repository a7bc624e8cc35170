"""Language choices on each backend: one read for a caller and a channel, upsert, forget."""

from __future__ import annotations

import asyncio

from bot.store import open_store
from bot.store.languages import CHANNEL, USER, LanguageStore


async def test_choices_are_read_together_replaced_and_forgotten(database_url: str):
    store = open_store(database_url)
    try:
        choices = LanguageStore(store)
        assert await choices.chosen(user="U1", channel="C1") == {}
        await choices.choose(USER, "U1", "vi", "U1")
        await choices.choose(CHANNEL, "C1", "en", "U0ADMIN")
        await choices.choose(USER, "U2", "en", "U2")  # someone else's: not read
        assert await choices.chosen(user="U1", channel="C1") == {USER: "vi", CHANNEL: "en"}
        await choices.choose(USER, "U1", "en", "U1")  # replaced, not a second row
        assert await choices.chosen(user="U1") == {USER: "en"}
        assert await choices.forget(USER, "U1") and not await choices.forget(USER, "U1")
        assert await choices.chosen(user="U1", channel="C1") == {CHANNEL: "en"}
    finally:
        await store.aclose()


async def test_two_replicas_choosing_at_once_leave_one_row(database_url: str):
    stores = [open_store(database_url), open_store(database_url)]
    try:
        a, b = (LanguageStore(s) for s in stores)
        await asyncio.gather(
            *(s.choose(CHANNEL, "C1", lang, "U0") for s in (a, b) for lang in ("vi", "en"))
        )
        assert (await a.chosen(channel="C1"))[CHANNEL] in ("vi", "en")
    finally:
        for store in stores:
            await store.aclose()
