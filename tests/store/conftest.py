"""A database URL for each backend: SQLite in a temporary folder, and a fresh PostgreSQL
database (skipped, with the reason, where no server runs; a failure instead when
``CALLOPS_TEST_REQUIRE_POSTGRES=1``, as ``.ci/run`` sets: CI never passes by skipping)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

POSTGRES = os.environ.get(
    "CALLOPS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def no_postgres(exc: OperationalError) -> NoReturn:
    """Skip the test for want of PostgreSQL, with the reason; fail instead in CI."""
    reason = f"no PostgreSQL at {POSTGRES.split('@')[-1]}: {type(exc.orig).__name__}"
    if os.environ.get("CALLOPS_TEST_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (CALLOPS_TEST_REQUIRE_POSTGRES=1)", pytrace=False)
    pytest.skip(reason)


def _postgres_database() -> Iterator[str]:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            name = f"callops_test_{uuid.uuid4().hex[:8]}"
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        no_postgres(exc)
    base = POSTGRES.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/callops.db"
        return
    yield from _postgres_database()
