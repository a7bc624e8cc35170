"""Acked slash commands survive the death of the replica that acked them (issue 17).

Several ``/queue list`` are acked while Alohub is slow, the bot is SIGKILLed before any is
answered; the next start (SQLite) or a second replica (PostgreSQL) answers each at its
response_url, once. A command acked more than 30 minutes ago is dropped, with an audit row.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from bot.sandbox import Sandbox, SandboxOptions
from bot.store import AuditEntry, Store
from bot.store.models import PendingCommand, utcnow
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.jobs.e2e import eventually
from tests.jobs.test_kill import bot_process
from tests.slack.conftest import ADMIN, OPERATOR, OPS_CHANNEL, SIGNING_SECRET
from tests.store.conftest import _postgres_database

COMMANDS = 5
# A short claim age so that a second replica takes a dead one's commands within the test.
HANDOVER = ("0.3", "2")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/callops.db"
    else:
        yield from _postgres_database()


def write_config(sandbox: Sandbox, tmp_path: Path, database_url: str) -> Path:
    connections: dict[str, Any] = sandbox.connections()
    config = {
        "language": "en",
        "database_url": database_url,
        "admins": [ADMIN],
        "operators": [OPERATOR],
        "connections": connections,
        "channels": {OPS_CHANNEL: list(connections)},
    }
    path = tmp_path / "callops.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def answers(fake: FakeSlack, tags: list[str]) -> dict[str, list[str]]:
    return {tag: [str(c.args.get("text", "")) for c in fake.responses(tag)] for tag in tags}


@pytest.mark.slow
async def test_commands_acked_by_a_killed_bot_are_answered_once_by_another(
    tmp_path: Path, database_url: str
):
    """SQLite: the next start answers; PostgreSQL: a second replica, running already, does."""
    async with Sandbox(port=0, options=SandboxOptions(seed=3)) as sandbox, FakeSlack() as fake:
        config = write_config(sandbox, tmp_path, database_url)
        log = tmp_path / "bot.log"
        store = Store(database_url)
        tags = [f"q{n}" for n in range(COMMANDS)]
        try:
            async with AsyncExitStack() as replicas:
                sandbox.faults("alohub").latency = 5.0  # no answer before the kill
                first, port = await replicas.enter_async_context(
                    bot_process(config, fake, log, *HANDOVER)
                )
                if database_url.startswith("postgresql"):
                    await replicas.enter_async_context(bot_process(config, fake, log, *HANDOVER))
                async with SlackClient(f"http://127.0.0.1:{port}", SIGNING_SECRET) as client:
                    for tag in tags:
                        ack = await client.command(
                            "/queue", "list", response_url=fake.response_url(tag)
                        )
                        assert ack.status == 200
                await eventually(
                    lambda: len(sandbox.requests("alohub")) >= COMMANDS,
                    within=20,
                    what="every command waiting on Alohub",
                )
                first.send_signal(signal.SIGKILL)
                await first.wait()
                assert answers(fake, tags) == {tag: [] for tag in tags}
                sandbox.faults("alohub").latency = 0.0
                if not database_url.startswith("postgresql"):
                    await replicas.enter_async_context(bot_process(config, fake, log, *HANDOVER))
                await eventually(
                    lambda: all(fake.responses(tag) for tag in tags),
                    within=30,
                    what="every acked command answered",
                )
                await eventually(
                    lambda: _none_undone(store), within=10, what="every command marked done"
                )
            for tag, texts in answers(fake, tags).items():
                assert len(texts) == 1, (tag, texts)  # once, never twice
                assert "queue" in texts[0].lower(), texts[0]
        finally:
            store.close()


@pytest.mark.slow
async def test_sigterm_hands_unanswered_commands_over_unclaimed(tmp_path: Path, database_url: str):
    """A stop waits ``stop_grace`` (1 s here), then leaves the rest recorded and unclaimed."""
    async with Sandbox(port=0, options=SandboxOptions(seed=3)) as sandbox, FakeSlack() as fake:
        config = write_config(sandbox, tmp_path, database_url)
        log = tmp_path / "bot.log"
        store = Store(database_url)
        tags = [f"t{n}" for n in range(3)]
        try:
            sandbox.faults("alohub").latency = 5.0
            async with bot_process(config, fake, log, *HANDOVER, "1") as (first, port):
                async with SlackClient(f"http://127.0.0.1:{port}", SIGNING_SECRET) as client:
                    for tag in tags:
                        await client.command("/queue", "list", response_url=fake.response_url(tag))
                await eventually(
                    lambda: len(sandbox.requests("alohub")) >= len(tags),
                    within=20,
                    what="every command waiting on Alohub",
                )
                first.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(first.wait(), timeout=20) == 0
            left = await _undone(store)
            assert len(left) == len(tags)
            assert {row.claimed_by for row in left} == {None}
            assert answers(fake, tags) == {tag: [] for tag in tags}
            sandbox.faults("alohub").latency = 0.0
            async with bot_process(config, fake, log, *HANDOVER):
                await eventually(
                    lambda: all(fake.responses(tag) for tag in tags),
                    within=30,
                    what="every handed-over command answered",
                )
                await eventually(lambda: _none_undone(store), within=10, what="all marked done")
            assert all(len(texts) == 1 for texts in answers(fake, tags).values())
        finally:
            store.close()


async def test_a_command_acked_over_30_minutes_ago_is_dropped_with_an_audit_row(
    tmp_path: Path, database_url: str
):
    async with Sandbox(port=0, options=SandboxOptions(seed=3)) as sandbox, FakeSlack() as fake:
        config = write_config(sandbox, tmp_path, database_url)
        store = Store(database_url)
        try:
            old, fresh = utcnow() - timedelta(minutes=31), utcnow() - timedelta(minutes=29)
            rows = []
            for tag, at in (("old", old), ("fresh", fresh)):
                body = {
                    "command": "/queue",
                    "text": "list",
                    "user_id": OPERATOR,
                    "channel_id": OPS_CHANNEL,
                    "response_url": fake.response_url(tag),
                }
                rows.append(
                    PendingCommand(
                        received_at=at,
                        kind="command",
                        team_id="T0",
                        channel_id=OPS_CHANNEL,
                        user_id=OPERATOR,
                        command="/queue list",
                        body=body,
                        response_url=body["response_url"],
                        claimed_by="dead:1:replica",
                        claimed_at=at,
                    )
                )
            await asyncio.to_thread(_insert_left_over, store, rows)
            async with bot_process(config, fake, tmp_path / "bot.log", *HANDOVER):
                await eventually(lambda: fake.responses("fresh"), within=30, what="fresh answer")
                await eventually(lambda: _none_undone(store), within=10, what="both rows closed")
            assert fake.responses("old") == []
            assert len(fake.responses("fresh")) == 1
            dropped = await asyncio.to_thread(_dropped, store)
            assert [(e.user_id, e.channel_id, e.command) for e in dropped] == [
                (OPERATOR, OPS_CHANNEL, "/queue list")
            ]
            assert "30 minutes" in (dropped[0].detail or "")
        finally:
            store.close()


async def _undone(store: Store) -> list[PendingCommand]:
    return await asyncio.to_thread(_undone_now, store)


def _undone_now(store: Store) -> list[PendingCommand]:
    with store.session() as session:
        query = select(PendingCommand).where(PendingCommand.done_at.is_(None))
        return list(session.scalars(query).all())


async def _none_undone(store: Store) -> bool:
    return not await _undone(store)


def _insert_left_over(store: Store, rows: list[PendingCommand]) -> None:
    store.create_schema()
    with store.session() as session:  # left by a replica that died
        session.add_all(rows)


def _dropped(store: Store) -> list[AuditEntry]:
    with store.session() as session:
        query = select(AuditEntry).where(AuditEntry.outcome == "dropped")
        return list(session.scalars(query).all())
