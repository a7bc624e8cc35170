"""A restart (no kill: the engine stopped and started again on the same database) resumes jobs."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import Environment
from bot.jobs.intake import create_job
from bot.jobs.progress import Progress
from bot.jobs.senders import alohub_sender, sync_sender
from bot.render.imports import final_summary
from bot.slack.bot import Bot
from bot.store import Store
from bot.store.jobs import JobStore
from tests.harness.fake_slack import FakeSlack
from tests.jobs.conftest import Env, start_env, stop_env
from tests.jobs.data import contact_list, phones
from tests.jobs.e2e import (
    config_for,
    confirm,
    eventually,
    finished_job,
    import_file,
    running_bot,
)
from tests.jobs.providers import CAMPAIGNS, at_provider
from tests.slack.conftest import SIGNING_SECRET

SIZES = {"alohub-main": 100, "vbee": 50, "aicc": 50, "crm": 50}


async def stored_job(env: Env, connection: str, valid: list[str]) -> int:
    """A job stored as confirm stores it, but not started."""
    staged = await env.stage(connection, CAMPAIGNS[connection], [(p, "Khách") for p in valid])
    return await create_job(env.services.config, env.store, staged)


async def restart(env: Env, sandbox: Any, tmp_path: Path) -> Env:
    """Stop the engine and start a new one on the same database."""
    await stop_env(env)
    return await start_env(sandbox, tmp_path, batch_sizes=SIZES)


@pytest.mark.parametrize("connection", ["alohub-main", "vbee", "aicc", "crm"])
async def test_restart_resumes_a_running_job_without_resending_accepted_rows(
    sandbox: Any, tmp_path: Path, connection: str
):
    env = await start_env(sandbox, tmp_path, batch_sizes=SIZES)
    valid = phones(260, seed=11)
    job_id = await stored_job(env, connection, valid)
    await env.store.set_state(job_id, "running")
    await env.store.set_message(job_id, "1000.000001")
    if connection == "alohub-main":
        # One chunk went to Alohub as a provider job before the restart: it is polled, not re-sent.
        claimed = await env.store.claim(job_id, 100)
        assert claimed is not None
        client = env.services.clients[connection]
        provider_job = await alohub_sender(client).submit("103", claimed.rows, None)
        await env.store.submitted(job_id, claimed.number, provider_job)
    else:
        claimed = await env.store.claim(job_id, 50)
        assert claimed is not None
        sender = sync_sender(env.services.clients[connection])
        await env.store.record(
            job_id, claimed.number, await sender.send(CAMPAIGNS[connection], claimed.rows)
        )
    env = await restart(env, sandbox, tmp_path)
    try:
        job = await env.ended(job_id)
        assert job.state == "done"
        assert await env.store.counts(job_id) == {"accepted": 260}
        held = at_provider(sandbox, connection)
        assert all(held[p] == 1 for p in valid)
        assert env.chat.posts == [], "the resumed job keeps its progress message"
        if connection == "alohub-main":
            bulk = [r for r in sandbox.requests("alohub") if r.path.endswith("/contacts/bulk")]
            assert len(bulk) == 3, "the submitted chunk is polled again, not sent again"
    finally:
        await stop_env(env)


async def test_restart_resends_an_alohub_chunk_that_was_in_flight(sandbox: Any, tmp_path: Path):
    env = await start_env(sandbox, tmp_path, batch_sizes=SIZES)
    valid = phones(150, seed=12)
    job_id = await stored_job(env, "alohub-main", valid)
    await env.store.set_state(job_id, "running")
    claimed = await env.store.claim(job_id, 100)
    assert claimed is not None
    client = env.services.clients["alohub-main"]
    # The bulk call reached Alohub, but the bot died before it recorded the provider job.
    await alohub_sender(client).submit("103", claimed.rows, None)
    env = await restart(env, sandbox, tmp_path)
    try:
        job = await env.ended(job_id)
        assert job.state == "done" and await env.store.counts(job_id) == {"accepted": 150}
        states = [b.state for b in await env.store.batches(job_id)]
        assert states[0] == "requeued" and set(states[1:]) == {"done"}
        held = at_provider(sandbox, "alohub-main")
        assert all(held[p] == 1 for p in valid), "re-sent rows are skipped by Alohub, not doubled"
        assert sum(j.duplicate for j in sandbox.alohub.jobs.values()) == 100
    finally:
        await stop_env(env)


@pytest.mark.parametrize("connection", ["vbee", "aicc", "crm"])
@pytest.mark.parametrize("reached_provider", [True, False])
async def test_restart_reports_an_in_flight_batch_unconfirmed_and_never_resends_it_unasked(
    sandbox: Any, tmp_path: Path, connection: str, reached_provider: bool
):
    env = await start_env(sandbox, tmp_path, batch_sizes=SIZES)
    valid = phones(120, seed=13)
    job_id = await stored_job(env, connection, valid)
    await env.store.set_state(job_id, "running")
    claimed = await env.store.claim(job_id, 50)
    assert claimed is not None
    in_flight = {row.phone for row in claimed.rows}
    if reached_provider:  # the request went out; the bot died before recording the answer
        await sync_sender(env.services.clients[connection]).send(
            CAMPAIGNS[connection], claimed.rows
        )
    env = await restart(env, sandbox, tmp_path)
    try:
        job = await env.ended(job_id)
        assert job.state == "done"
        assert await env.store.counts(job_id) == {"accepted": 70, "unconfirmed": 50}
        held = at_provider(sandbox, connection)
        assert all(held[p] == 1 for p in valid if p not in in_flight)
        assert all(held[p] == (1 if reached_provider else 0) for p in in_flight)
        final = env.chat.updates[-1]["blocks"]
        assert "50 rows got no clear answer" in str(final)

        assert await env.engine.retry(job_id) == 0, "a plain retry leaves unconfirmed rows alone"
        assert await env.engine.retry(job_id, include_unconfirmed=True) == 50

        async def retried() -> Any:
            j = await env.store.job(job_id)
            return (
                j
                and j.state == "done"
                and await env.store.counts(job_id) == {"accepted": 120}
                and j
            )

        job = await eventually(retried)
        held = at_provider(sandbox, connection)
        assert all(held[p] == (2 if reached_provider else 1) for p in in_flight)
    finally:
        await stop_env(env)


async def test_a_normal_shutdown_lets_batches_in_flight_finish_so_none_is_unconfirmed(
    sandbox: Any, tmp_path: Path
):
    env = await start_env(sandbox, tmp_path, batch_sizes=SIZES)
    sandbox.faults("vbee").latency = 0.3
    valid = phones(1000, seed=14)
    job_id = await env.start("vbee", CAMPAIGNS["vbee"], [(p, "Khách") for p in valid])
    await eventually(lambda: env.store.batches(job_id, "in_flight"), what="a batch in flight")
    await stop_env(env)
    probe = JobStore(Store(env.services.config.database_url))  # the stopped bot's store is closed
    try:
        assert await probe.batches(job_id, "in_flight") == [], "answered before the engine stopped"
        assert (await probe.job(job_id)).state == "running"
    finally:
        await probe.store.aclose()
    sandbox.faults("vbee").latency = 0.0
    env = await start_env(sandbox, tmp_path, batch_sizes=SIZES)
    try:
        job = await env.ended(job_id)
        assert job.state == "done" and await env.store.counts(job_id) == {"accepted": 1000}
        held = at_provider(sandbox, "vbee")
        assert all(held[p] == 1 for p in valid)
    finally:
        await stop_env(env)


async def test_a_start_that_cannot_listen_touches_no_job_and_the_next_start_resumes_it(
    sandbox: Any, tmp_path: Path
):
    # A bot that cannot have its port exits; it must do so before it resumes a job: a start
    # that resumed first claimed batches (rows "sent", batches in flight) and abandoned them.
    env = await start_env(sandbox, tmp_path, batch_sizes=SIZES)
    valid = phones(120, seed=15)
    job_id = await stored_job(env, "vbee", valid)
    await env.store.set_state(job_id, "running")
    await env.store.set_message(job_id, "1000.000001")
    crashed = await env.store.claim(job_id, 50)  # in flight when the last bot was killed
    assert crashed is not None
    await stop_env(env)
    holder = socket.create_server(("127.0.0.1", 0))  # someone else has the port
    port = holder.getsockname()[1]
    async with FakeSlack() as fake:
        env_vars = Environment(
            slack_bot_token=fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
        )
        config = config_for(sandbox, tmp_path, batch_sizes=SIZES)
        refused = Bot(config, env_vars)
        try:
            with pytest.raises(OSError):
                await refused.start_http("127.0.0.1", port)
        finally:
            await refused.stop()
        holder.close()
        jobs = JobStore(Store(config.database_url))  # the refused bot's store is closed
        try:
            batches = [(b.number, b.state) for b in await jobs.batches(job_id)]
            counts = await jobs.counts(job_id)
        finally:
            await jobs.store.aclose()
        assert batches == [(crashed.number, "in_flight")]
        assert counts == {"sent": 50, "pending": 70}, "no batch claimed or settled"
        assert sandbox.requests("vbee") == [], "nothing sent by a bot that cannot serve"

        bot = Bot(config, env_vars)
        try:
            assert await bot.start_http("127.0.0.1", port) == port
            async with httpx.AsyncClient() as client:
                health = await client.get(f"http://127.0.0.1:{port}/healthz")
            assert health.status_code == 200
            jobs = JobStore(bot.services.store)

            async def done() -> bool:
                job = await jobs.job(job_id)
                return job is not None and job.state == "done"

            await eventually(done, within=20, what=f"J{job_id} done")
            assert await jobs.counts(job_id) == {"accepted": 70, "unconfirmed": 50}
            held = at_provider(sandbox, "vbee")
            in_flight = {row.phone for row in crashed.rows}
            assert all(held[p] == (0 if p in in_flight else 1) for p in valid)
        finally:
            await bot.stop()


async def test_a_bot_killed_between_a_jobs_end_and_its_totals_posts_them_once_at_restart(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # State before words: the end is committed, then the totals are posted. A kill in
    # between used to leave the channel at the last progress update for good: a restart
    # does not resume a finished job.
    env = await start_env(sandbox, tmp_path, batch_sizes=SIZES)
    reached = asyncio.Event()

    async def killed_here(self: Progress) -> None:  # the process dies: nothing after runs
        reached.set()
        await asyncio.Future()

    monkeypatch.setattr(Progress, "final", killed_here)
    valid = phones(60, seed=16)
    job_id = await env.start("vbee", CAMPAIGNS["vbee"], [(p, "Khách") for p in valid])
    await eventually(reached.is_set, what="the job's end committed")
    job = await env.store.job(job_id)
    assert job is not None and job.state == "done" and job.message_ts
    env.engine.stop_grace = 0.0  # the kill: the run is cancelled where it waits
    await stop_env(env)
    monkeypatch.undo()
    totals = final_summary(env.services.messages, job, {"accepted": 60})
    assert "60" in totals
    assert all(u["text"] != totals for u in env.chat.updates), "killed before the totals"

    env = await restart(env, sandbox, tmp_path)
    try:
        await eventually(lambda: env.chat.updates, what="the totals posted at restart")
        await env.engine.wait(job_id)
        assert [(u["ts"], u["text"]) for u in env.chat.updates] == [(job.message_ts, totals)]
        assert env.chat.posts == [], "the job's own message is finished, no new one"
    finally:
        await stop_env(env)
    env = await start_env(sandbox, tmp_path, batch_sizes=SIZES)
    try:
        await env.engine.wait(job_id)
        assert env.chat.updates == [] and env.chat.posts == [], "posted once, not at every start"
    finally:
        await stop_env(env)


async def test_a_deposed_leaders_job_run_stops_quietly_and_the_next_leader_sends_it(
    sandbox: Any, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # The fence (bot.store.fence) is at another epoch: this replica's scheduled writes are
    # refused. Its run neither sends nor marks the job failed; leading again, it sends it.
    async with running_bot(sandbox, tmp_path) as h:
        store = h.bot.services.store
        content, _ = contact_list(5)
        preview = await import_file(h, "vbee", content)
        store.fence.epoch = 99  # another replica took the lock (and epoch 1) meanwhile
        await confirm(h, preview)
        job = await eventually(lambda: store.recent_jobs(limit=1), what="the job")
        await h.bot.services.drain()
        for _ in range(3):  # the pickups of the next seconds are refused too
            await h.bot.runtime.jobs.pickup()
        assert (await store.job(job[0].id)).state == "queued"
        assert h.sandbox.requests("vbee") == []
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
        store.fence.epoch = None  # as when this replica leads again with the current epoch
        done = await finished_job(h, job[0].id)
        assert done.state == "done"
