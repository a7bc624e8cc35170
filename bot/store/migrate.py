"""The schema at start: created on an empty database, migrated to the newest revision otherwise.

Migrations are Alembic's (``bot/store/migrations``). A database made before migrations
existed (tables, no ``alembic_version``) is taken to be at the first revision, which is
exactly that schema. On PostgreSQL an advisory lock keeps two bots starting at once from
migrating together.
"""

from __future__ import annotations

import logging
from functools import cache

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

# The first revision: the schema as ``create_all`` made it before migrations.
BASELINE = "0001"
# Any number of ours; the same for every callops process on the server.
_LOCK_KEY = 0x63616C6C  # "call"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for our migrations, to run on ``connection``."""
    config = Config()
    config.set_main_option("script_location", "bot.store:migrations")
    config.attributes["connection"] = connection
    return config


@cache
def head() -> str:
    """The newest revision."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as connection:
        return _revision(connection)


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision (nothing to do when it is there)."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Alembic's batch mode rebuilds a SQLite table (copy, drop, rename): with foreign
            # keys on, dropping ``jobs`` cascades to every job's rows. SQLite ignores this
            # pragma inside a transaction, so it is set before the migration's own.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                version = _migrate(connection)
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                connection.commit()
                if broken:
                    raise RuntimeError(f"the migration left rows without their parent: {broken}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    if version == head():
        return
    if version is None:
        log.info("database schema created (revision %s)", head())
    else:
        log.info("database schema migrated from revision %s to %s", version, head())


def _migrate(connection: Connection) -> str | None:
    """Migrate in the caller's transaction; returns the revision the database was at."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    version = _revision(connection)
    if version == head():
        return version
    if version is None and inspect(connection).has_table("audit"):
        command.stamp(alembic_config(connection), BASELINE)
        version = BASELINE
    command.upgrade(alembic_config(connection), "head")
    return version
