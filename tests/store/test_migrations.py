"""The schema comes from migrations: they match the models, upgrade and downgrade, adopt
a database made before them, and leave a database at the newest revision alone."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from bot.store import AuditEntry, Store
from bot.store.migrate import BASELINE, alembic_config, current, head, upgrade
from bot.store.models import Base


def _differences(store: Store) -> list[object]:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_the_migrations_build_exactly_the_models_schema(database_url: str):
    # Fails when a model changes without a migration (write one with alembic.ini's command).
    store = Store(database_url)
    store.create_schema()
    assert current(store.engine) == head()
    assert _differences(store) == []
    store.close()


def test_a_database_at_the_newest_revision_is_left_alone(database_url: str):
    store = Store(database_url)
    store.create_schema()
    with store.session() as session:
        session.add(_audit("kept"))
    store.create_schema()
    with store.session() as session:
        assert session.scalars(select(AuditEntry.command)).all() == ["kept"]
    store.close()


def test_a_database_made_before_migrations_is_adopted_with_its_rows(database_url: str):
    store = Store(database_url)
    # The schema the first builds made with create_all is the baseline revision's; later
    # migrations must still apply on top of it.
    with store.engine.begin() as connection:
        command.upgrade(alembic_config(connection), BASELINE)
        connection.execute(text("DROP TABLE alembic_version"))
    with store.session() as session:
        session.add(_audit("from before"))
    assert current(store.engine) is None
    store.create_schema()
    assert current(store.engine) == head()
    with store.session() as session:
        assert session.scalars(select(AuditEntry.command)).all() == ["from before"]
    store.close()


def test_upgrading_from_the_first_revision_keeps_every_jobs_rows(database_url: str):
    # SQLite's batch mode rebuilds ``jobs``; with foreign keys on, that deleted its rows.
    store = Store(database_url)
    with store.engine.begin() as connection:
        command.upgrade(alembic_config(connection), BASELINE)
        at = datetime.now(UTC)
        connection.execute(
            text(
                "INSERT INTO jobs (id, connection, provider, campaign, creator, channel, state,"
                " total, created_at, updated_at) VALUES (1, 'aicc', 'aicallcenter', 'cmp-hn-01',"
                " 'U0OPS1', 'C0OPS', 'running', 1, :at, :at)"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO job_rows (job_id, line, phone, fields, state)"
                " VALUES (1, 2, '0912345678', '{}', 'pending')"
            )
        )
    upgrade(store.engine)
    assert current(store.engine) == head()
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM job_rows")).scalar() == 1
    store.close()


def test_every_migration_downgrades_and_upgrades_again(database_url: str):
    store = Store(database_url)
    upgrade(store.engine)
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    upgrade(store.engine)
    assert _differences(store) == []
    assert head() >= BASELINE
    store.close()


def _audit(command_text: str) -> AuditEntry:
    return AuditEntry(
        at=datetime.now(UTC),
        user_id="U0OPS1",
        channel_id="C0OPS",
        command=command_text,
        role="operator",
        outcome="ok",
    )
