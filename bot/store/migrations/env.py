"""Alembic's environment: migrations run on the connection ``bot.store.migrate`` hands over.

Run by ``Store.create_schema()`` at every start. To write a new migration after changing
``bot/store/models.py``: ``alembic -c bot/store/alembic.ini revision --autogenerate -m "…"``
with ``DATABASE_URL`` pointing at a database at the current head (``… check`` says whether
the models and the migrations agree; ``tests/store/test_migrations.py`` does the same).
"""

from __future__ import annotations

import os
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from bot.store.db import make_engine
from bot.store.models import Base, UTCDateTime

config = context.config


def _render_item(kind: str, item: Any, _context: AutogenContext) -> str | Literal[False]:
    # Migrations are frozen in plain SQLAlchemy types, never the app's own classes.
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters a table by copying it
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if (connection := config.attributes.get("connection")) is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("set DATABASE_URL to the database to compare against")
    with make_engine(url).connect() as own_connection:
        _run(own_connection)
