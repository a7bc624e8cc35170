"""The languages users and admins chose (``/callops language``), read per request (kept a few
seconds by ``bot.languages``).

One row per choice, keyed by (scope, subject); a request reads its caller's and its
channel's in one query. Every replica reads the same rows, so each answers alike.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.db import Store, reads, writes
from bot.store.models import LanguageChoice, utcnow

USER = "user"
CHANNEL = "channel"


class LanguageStore:
    """Language choices by user and by channel (``async``: see ``Store``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lanes = store.lanes

    @reads
    def chosen(self, *, user: str | None = None, channel: str | None = None) -> dict[str, str]:
        """The choices of ``user`` and ``channel`` that exist: scope → language."""
        wanted = [(USER, user), (CHANNEL, channel)]
        conditions = [
            (LanguageChoice.scope == scope) & (LanguageChoice.subject == subject)
            for scope, subject in wanted
            if subject
        ]
        if not conditions:
            return {}
        query = select(LanguageChoice.scope, LanguageChoice.language).where(or_(*conditions))
        with self.store.session() as session:
            return {scope: language for scope, language in session.execute(query)}

    @writes
    def choose(self, scope: str, subject: str, language: str, chosen_by: str) -> None:
        """Record (or replace) the language of a user or a channel."""
        # One upsert: two replicas choosing at once cannot both insert (the last one wins).
        table = LanguageChoice.__table__
        dialect = postgresql if self.store.engine.dialect.name == "postgresql" else sqlite
        values = {"language": language, "chosen_by": chosen_by, "chosen_at": utcnow()}
        statement = (
            dialect.insert(table)
            .values(scope=scope, subject=subject, **values)
            .on_conflict_do_update(index_elements=[table.c.scope, table.c.subject], set_=values)
        )
        with self.store.session() as session:
            session.execute(statement)

    @writes
    def forget(self, scope: str, subject: str) -> bool:
        """Drop a choice (back to the locale or the default); False when there was none."""
        query = delete(LanguageChoice).where(
            LanguageChoice.scope == scope, LanguageChoice.subject == subject
        )
        with self.store.session() as session:
            return bool(getattr(session.execute(query), "rowcount", 0))
