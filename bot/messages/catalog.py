"""The whole catalog: every user-facing sentence, key → (English, Vietnamese).

Each feature keeps its sentences in its own module; both texts of an entry use the same
``{placeholders}``, and no key is defined twice (tests check both).
"""

from __future__ import annotations

# Each part by its own module name, not through the package (whose ``__init__`` imports this).
import bot.messages.alerts as alerts
import bot.messages.calls as calls
import bot.messages.console as console
import bot.messages.contacts as contacts
import bot.messages.core as core
import bot.messages.database as database
import bot.messages.exports as exports
import bot.messages.finished as finished
import bot.messages.home as home
import bot.messages.imports as imports
import bot.messages.language as language
import bot.messages.safety as safety
import bot.messages.slack as slack
import bot.messages.undo as undo

PARTS: tuple[dict[str, tuple[str, str]], ...] = (
    core.MESSAGES,
    contacts.MESSAGES,
    imports.MESSAGES,
    calls.MESSAGES,
    alerts.MESSAGES,
    exports.MESSAGES,
    console.MESSAGES,
    database.MESSAGES,
    safety.MESSAGES,
    slack.MESSAGES,
    language.MESSAGES,
    undo.MESSAGES,
    finished.MESSAGES,
    home.MESSAGES,
)

MESSAGES: dict[str, tuple[str, str]] = {}
for part in PARTS:
    MESSAGES.update(part)
