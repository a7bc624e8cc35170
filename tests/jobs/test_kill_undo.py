"""SIGKILL the bot in the middle of ``/job undo``, start it again: every pending contact of the
import ends deleted, none is asked to go twice (a DELETE on its way at the kill is looked up,
not sent again), and the undo's totals are posted once."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.sandbox import Sandbox, SandboxOptions
from bot.store import Store
from bot.store.jobs import JobStore
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.jobs.data import csv_bytes, phones
from tests.jobs.e2e import confirm, eventually, import_file
from tests.jobs.test_kill import FINAL, bot_process, write_config
from tests.slack.conftest import OPERATOR, OPS_CHANNEL, SIGNING_SECRET, Harness

ROWS = 400
CAMPAIGN = 103


def _deletes(sandbox: Any) -> list[str]:
    return [r.path.rsplit("/", 1)[-1] for r in sandbox.requests("alohub") if r.method == "DELETE"]


async def _job_in(jobs: JobStore, job_id: int, *states: str) -> Any:
    job = await jobs.job(job_id)
    return job if job is not None and job.state in states and not job.final_owed else None


def _undo_button(message: dict[str, Any]) -> dict[str, Any]:
    return next(
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "job_undo_confirm"
    )


@pytest.mark.slow
async def test_sigkill_mid_undo_then_restart_deletes_every_pending_contact_once(tmp_path: Path):
    options = SandboxOptions(seed=8, alohub_rows_per_second=5000)
    async with Sandbox(port=0, options=options) as sandbox, FakeSlack() as fake:
        config = write_config(sandbox, tmp_path, alohub_batch=100)
        raw = yaml.safe_load(config.read_text(encoding="utf-8"))
        # A DELETE on its way at the kill has arrived within these: the restart waits them out.
        raw["connections"]["alohub-main"].update(connect_timeout=1.0, read_timeout=2.0)
        config.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        valid = phones(ROWS, seed=300)
        jobs = JobStore(Store(f"sqlite:///{tmp_path}/callops.db"))
        log = tmp_path / "bot.log"
        try:
            async with (
                bot_process(config, fake, log) as (_, port),
                SlackClient(
                    f"http://127.0.0.1:{port}",
                    SIGNING_SECRET,
                    response_url_factory=fake.response_url,
                ) as client,
            ):
                h = Harness(client, fake, sandbox, None)  # type: ignore[arg-type]
                content = csv_bytes([(p, "Khách hàng") for p in valid])
                await confirm(h, await import_file(h, "alohub-main", content, list_name="Sai"))
                await eventually(lambda: _job_in(jobs, 1, "done"), within=60, what="J1 done")
                ack = await client.command(
                    "/job", "undo J1", user_id=OPERATOR, channel_id=OPS_CHANNEL
                )
                tag = ack.response_url.rsplit("/", 1)[-1]
                asked = (await fake.wait_for("response_url", predicate=lambda c: c.tag == tag)).args
                button = _undo_button(asked)
                sandbox.faults("alohub").latency = 0.1  # deletes spend their time in flight
                await client.block_action(
                    "job_undo_confirm", button["value"], user_id=OPERATOR, channel_id=OPS_CHANNEL
                )
                await eventually(
                    lambda: len(_deletes(sandbox)) >= 60, within=60, what="the undo mid-way"
                )
                # SIGKILL as the context exits: the deletes in flight get no answer.
            at_kill = await jobs.job(2)
            assert at_kill is not None and at_kill.state == "running"
            assert len(_deletes(sandbox)) < ROWS
            sandbox.faults("alohub").latency = 0
            async with bot_process(config, fake, log):
                undo = await eventually(
                    lambda: _job_in(jobs, 2, *FINAL), within=90, what="the undo's end"
                )
                # The totals go out through the outbox after the end is committed: the bot
                # is kept until they are (SIGKILL as the context exits).
                await fake.wait_for(
                    "chat.update",
                    predicate=lambda c: "*Undo J2 of J1 is done*" in json.dumps(c.args),
                    timeout=60,
                )
            assert undo.state == "done", undo.reason
            assert await jobs.counts(2) == {"removed": ROWS}
            deleted = _deletes(sandbox)
            assert len(deleted) == ROWS and max(Counter(deleted).values()) == 1, "none twice"
            left = {c.phoneNumber for c in sandbox.alohub.contacts(CAMPAIGN)}
            assert not left & set(valid)
            finals = [
                c
                for c in fake.calls_to("chat.update")
                if "*Undo J2 of J1 is done*: 400 contacts removed" in json.dumps(c.args)
            ]
            assert finals, "the totals were posted"
        finally:
            await jobs.store.aclose()
