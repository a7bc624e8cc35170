"""A database setting that cannot be used stops `callops run`, `console` and `check` at start-up
with one sentence naming the setting (callops.yml's `database_url` or `DATABASE_URL`) and the
fix, exit status 2, no traceback. Each case runs the real command line in a subprocess."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from tests.console.conftest import ROOT, callops
from tests.store.conftest import POSTGRES, _postgres_database, no_postgres

COMMANDS = [["run", "--host", "127.0.0.1", "--port", "0"], ["console"], ["check"]]
SLACK = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "test-signing-secret"}


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_server() -> str:
    """``postgresql+psycopg://user@host:port``, or skip where no PostgreSQL runs."""
    engine = create_engine(POSTGRES)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        no_postgres(exc)
    finally:
        engine.dispose()
    return POSTGRES.rsplit("/", 1)[0]


def write_config(folder: Path, database_url: str | None) -> None:
    line = f"database_url: {database_url!r}\n" if database_url is not None else ""
    (folder / "callops.yml").write_text(
        line + 'connections:\n  aicc: {provider: aicallcenter, base_url: "http://127.0.0.1:9/a",'
        " secret_key: k}\n",
        encoding="utf-8",
    )


def assert_stopped_with(tmp_path: Path, command: list[str], *fragments: str, **env: str) -> str:
    """Run ``callops COMMAND``; it must stop with exit 2 and one sentence holding ``fragments``."""
    done = callops(*command, stdin="/callops\n", cwd=tmp_path, timeout=60, **SLACK, **env)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stdout == "", (done.stdout, done.stderr)
    [sentence] = done.stderr.strip().splitlines()
    for fragment in fragments:
        assert fragment in sentence
    return sentence


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_unknown_driver_in_callops_yml_is_named_with_the_urls_that_work(
    tmp_path: Path, command: list[str]
):
    write_config(tmp_path, "mysql+nodriver://callops@db.example/callops")
    assert_stopped_with(
        tmp_path,
        command,
        "The database setting (`database_url` in callops.yml) asks for the driver "
        "“mysql+nodriver”, which callops cannot use",
        "postgresql+psycopg://user:password@host:5432/name or sqlite:///callops.db",
    )


def test_a_malformed_database_url_in_the_environment_says_database_url(tmp_path: Path):
    command = ["console"]
    write_config(tmp_path, "sqlite:///ignored.db")
    assert_stopped_with(
        tmp_path,
        command,
        "The database setting (the environment variable `DATABASE_URL`) is not a database URL",
        DATABASE_URL="postgres ql://nobody",
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_unreachable_server_names_host_port_and_setting_without_the_password(
    tmp_path: Path, command: list[str]
):
    port = closed_port()
    write_config(tmp_path, f"postgresql+psycopg://callops:s3cret-pw@127.0.0.1:{port}/callops")
    sentence = assert_stopped_with(
        tmp_path,
        command,
        f"No database server answers at 127.0.0.1:{port}, the server named in `database_url` "
        "in callops.yml — start PostgreSQL there, or correct the host and port",
    )
    assert "s3cret-pw" not in sentence


@pytest.mark.postgres
def test_a_user_the_server_refuses_is_named_with_the_fix(tmp_path: Path):
    command = COMMANDS[0]  # run
    server = postgres_server().replace("postgres@", "callops_no_such_user:pw@", 1)
    write_config(tmp_path, "sqlite:///ignored.db")
    assert_stopped_with(
        tmp_path,
        command,
        "refused the user “callops_no_such_user” given in the environment variable "
        "`DATABASE_URL` (wrong password, or no such user) — correct the user and password",
        DATABASE_URL=f"{server}/postgres",
    )


@pytest.mark.postgres
def test_a_database_that_does_not_exist_is_named_with_createdb(tmp_path: Path):
    command = ["check"]
    write_config(tmp_path, f"{postgres_server()}/callops_missing_db")
    assert_stopped_with(
        tmp_path,
        command,
        "The database “callops_missing_db” named in `database_url` in callops.yml does not "
        "exist on 127.0.0.1:5432 — create it (createdb callops_missing_db)",
    )


def test_a_sqlite_file_in_a_missing_folder_is_named(tmp_path: Path):
    write_config(tmp_path, f"sqlite:///{tmp_path}/no/such/folder/callops.db")
    assert_stopped_with(tmp_path, COMMANDS[0], "The SQLite file", "cannot be opened")


@pytest.mark.postgres
def test_a_plain_postgresql_url_uses_the_installed_driver_and_creates_the_schema(
    tmp_path: Path,
):
    postgres_server()
    for url in _postgres_database():
        write_config(tmp_path, url.replace("postgresql+psycopg://", "postgresql://"))
        done = callops("check", cwd=tmp_path, timeout=60)
        assert "Traceback" not in done.stderr and "database" not in done.stderr, done.stderr
        assert "aicc" in done.stdout and done.returncode == 1  # the provider is not there
        engine = create_engine(url)
        try:
            assert "connection_checks" in inspect(engine).get_table_names()
        finally:
            engine.dispose()


def test_the_postgresql_driver_is_a_dependency_of_a_plain_install():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(dep.startswith("psycopg[binary]") for dep in project["dependencies"])


def test_the_sentence_follows_the_configured_language(tmp_path: Path):
    port = closed_port()
    write_config(tmp_path, f"postgresql://callops@127.0.0.1:{port}/callops")
    assert_stopped_with(
        tmp_path,
        ["console", "--language", "vi"],
        f"Không có máy chủ cơ sở dữ liệu nào trả lời tại 127.0.0.1:{port}, máy chủ ghi trong "
        "`database_url` trong callops.yml — hãy khởi động PostgreSQL ở đó",
    )
