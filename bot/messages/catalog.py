"""The whole catalog: every user-facing sentence, key → (English, Vietnamese).

Each feature keeps its sentences in its own module; both texts of an entry use the same
``{placeholders}``, and no key is defined twice (tests check both).
"""

from __future__ import annotations

from bot.messages import calls, console, contacts, core, database, imports, safety, slack

PARTS: tuple[dict[str, tuple[str, str]], ...] = (
    core.MESSAGES,
    contacts.MESSAGES,
    imports.MESSAGES,
    calls.MESSAGES,
    console.MESSAGES,
    database.MESSAGES,
    safety.MESSAGES,
    slack.MESSAGES,
)

MESSAGES: dict[str, tuple[str, str]] = {}
for part in PARTS:
    MESSAGES.update(part)
