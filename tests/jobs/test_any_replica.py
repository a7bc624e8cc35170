"""Any replica answers any slash command, button, pager or modal submission: two ``callops``
processes on one PostgreSQL, and each step of a conversation sent to the other one than the
step before. What one replica staged (an upload, its preview, the modal's state) the other
reads from the database; a pager's Next pressed on the other replica shows page two; each
replica's ``/healthz`` says its role, and exactly one of them leads."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
import pytest

from bot.sandbox import Sandbox, SandboxOptions
from bot.store import Store
from bot.store.jobs import JobStore
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.jobs.data import csv_bytes, phones
from tests.jobs.e2e import confirm, eventually, form, open_import, preview, submit, view_text
from tests.jobs.providers import CAMPAIGNS, at_provider
from tests.jobs.test_kill import bot_process, write_config
from tests.slack.conftest import OPERATOR, OPS_CHANNEL, SIGNING_SECRET, Harness
from tests.store.conftest import _postgres_database

pytestmark = pytest.mark.postgres

ROWS = 40


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped after the test (skipped where no server runs)."""
    yield from _postgres_database()


@asynccontextmanager
async def two_replicas(
    tmp_path: Path, url: str
) -> AsyncIterator[tuple[Sandbox, list[Harness], list[str]]]:
    """Two bot processes on ``url``, one fake Slack; a signed client on each, and their bases."""
    async with (
        Sandbox(port=0, options=SandboxOptions(seed=5)) as sandbox,
        FakeSlack() as fake,
        AsyncExitStack() as stack,
    ):
        config = write_config(sandbox, tmp_path, database_url=url)
        harnesses, bases = [], []
        for name in ("a", "b"):
            _, port = await stack.enter_async_context(
                bot_process(config, fake, tmp_path / f"{name}.log")
            )
            base = f"http://127.0.0.1:{port}"
            client = await stack.enter_async_context(
                SlackClient(base, SIGNING_SECRET, response_url_factory=fake.response_url)
            )
            harnesses.append(Harness(client, fake, sandbox, None))  # type: ignore[arg-type]
            bases.append(base)
        yield sandbox, harnesses, bases


async def roles(bases: list[str]) -> list[str]:
    """Each replica's role as its ``/healthz`` says it (all healthy)."""
    out = []
    async with httpx.AsyncClient(timeout=10) as http:
        for base in bases:
            response = await http.get(f"{base}/healthz")
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["loop"] == body["database"] == "ok", body
            out.append(body["role"])
    return out


async def test_an_import_staged_on_one_replica_is_previewed_and_confirmed_on_the_other(
    tmp_path: Path, pg_url: str
):
    async with two_replicas(tmp_path, pg_url) as (sandbox, (a, b), bases):
        # Exactly one replica runs the scheduled work (the batches); the other follows.
        await eventually(lambda: _one_leader(bases), within=30, what="a leader")
        jobs = JobStore(Store(pg_url))
        try:
            lists = {"vbee": phones(ROWS, seed=41), "aicc": phones(ROWS, seed=42)}
            # vbee: /import on A, the file submitted on B (B reads and stages it), the preview
            # confirmed on A. aicc: the other way round.
            for connection, (first, second) in (("vbee", (a, b)), ("aicc", (b, a))):
                content = csv_bytes([(p, "Khách hàng") for p in lists[connection]])
                file = a.fake.add_file(
                    f"F{len(a.fake.files) + 1:04d}", content, f"{connection}.csv", "csv"
                )
                view = await open_import(first)
                ack = await submit(second, view, form(connection, CAMPAIGNS[connection], file=file))
                assert ack.status == 200 and ack.json_body["response_action"] == "update"
                shown = await preview(first, view["id"], within=30)
                assert shown["callback_id"] == "import_confirm", view_text(shown)
                assert f"{ROWS:,} valid" in view_text(shown)
                ack = await confirm(first, shown)
                assert ack.status == 200, ack.text

            async def all_done() -> bool:
                states = [await jobs.job(job_id) for job_id in (1, 2)]
                return all(job is not None and job.state == "done" for job in states)

            await eventually(all_done, within=60, what="both imports done")
            for connection, valid in lists.items():
                held = at_provider(sandbox, connection)
                assert all(held[p] == 1 for p in valid), f"{connection}: every row once"
            # Either replica tells of either job.
            for h in (a, b):
                for ref in ("J1", "J2"):
                    answer = await h.reply("/job", ref, user=OPERATOR)
                    assert ref in json.dumps(answer, ensure_ascii=False)
        finally:
            await jobs.store.aclose()


async def _one_leader(bases: list[str]) -> bool:
    said = await roles(bases)
    assert set(said) <= {"leader", "follower"}, said
    return sorted(said) == ["follower", "leader"]


async def test_a_pagers_next_pressed_on_the_other_replica_shows_page_two(
    tmp_path: Path, pg_url: str
):
    async with two_replicas(tmp_path, pg_url) as (sandbox, (a, b), _):
        reply = await a.reply("/queue", "list")
        pager = next(block for block in reply["blocks"] if block.get("block_id") == "pager")
        after = pager["elements"][-1]
        assert after["action_id"] == "page_next"
        ack = await b.slack.block_action(
            after["action_id"], after["value"], user_id=OPERATOR, channel_id=OPS_CHANNEL
        )
        assert ack.status == 200
        tag = ack.response_url.rsplit("/", 1)[-1]
        call = await b.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
        shown = json.dumps(call.args["blocks"], ensure_ascii=False)
        state = sandbox.alohub
        queues = [q for q in state.queues.values() if q.tenant_id == state.tenant_id]
        assert str(queues[10].callinId) in shown and str(queues[0].callinId) not in shown
        assert call.args["replace_original"] is True
