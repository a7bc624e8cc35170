"""Provider faults during a job: campaign-level refusals stop it with the provider's reason,
uncertain answers leave rows unconfirmed, cancel stops sending; nothing is sent twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from bot.config import VbeeConnection
from bot.errors import InvalidStateError, ProviderConnectionError, ProviderFault, ProviderTimeout
from bot.jobs.senders import VbeeSender, fate_of
from bot.providers.vbee import VbeeClient
from bot.store.jobs import RowData
from tests.jobs.conftest import Env, start_env, stop_env
from tests.jobs.data import phones
from tests.jobs.e2e import eventually
from tests.jobs.providers import at_provider


def rows(valid: list[str]) -> list[tuple[str, ...]]:
    return [(p, "Khách") for p in valid]


async def counts_when_ended(env: Env, job_id: int, counts: dict[str, int]) -> bool:
    """True once the job's run has ended with these row counts."""
    return job_id not in env.engine.runs and await env.store.counts(job_id) == counts


async def test_a_stopped_aicc_campaign_fails_the_job_with_the_providers_reason(env: Env):
    job_id = await env.start("aicc", "cmp-ks-03", rows(phones(80, seed=31)))
    job = await env.ended(job_id)
    assert job.state == "failed"
    assert "`aicc` refused: the campaign is stopped" in job.reason
    assert "The campaign stopped. Can not import data" in job.reason
    assert await env.store.counts(job_id) == {"pending": 80}, "refused rows wait for /job retry"
    final = str(env.chat.updates[-1]["blocks"])
    assert "J1 stopped" in final and "The campaign stopped" in final and "/job retry J1" in final


async def test_a_vbee_campaign_without_balance_fails_the_job_and_retry_can_resend(env: Env):
    job_id = await env.start("vbee", "vbee-cmp-nobalance", rows(phones(60, seed=32)))
    job = await env.ended(job_id)
    assert job.state == "failed" and "insufficient balance" in job.reason
    env.sandbox.vbee.campaigns["vbee-cmp-nobalance"].has_balance = True  # the account is topped up
    assert await env.engine.retry(job_id) == 60
    await eventually(lambda: counts_when_ended(env, job_id, {"accepted": 60}))
    assert len(env.sandbox.vbee.contacts["vbee-cmp-nobalance"]) == 60


async def test_a_vbee_timeout_leaves_the_batch_unconfirmed_and_never_resends_it(
    sandbox: Any, tmp_path: Path
):
    env = await start_env(
        sandbox, tmp_path, batch_sizes={"vbee": 50}, settings={"vbee": {"read_timeout": 0.3}}
    )
    try:
        sandbox.faults("vbee").latency = 0.6  # Vbee adds the rows after the bot gave up waiting
        valid = phones(120, seed=33)
        job_id = await env.start("vbee", "vbee-cmp-1", rows(valid))
        job = await env.ended(job_id)
        # The three batches were in flight together; none was answered in time.
        assert job.state == "failed" and "did not answer in time" in job.reason
        assert await env.store.counts(job_id) == {"unconfirmed": 120}
        assert {b.state for b in await env.store.batches(job_id)} == {"unconfirmed"}
        assert await env.engine.retry(job_id) == 0, "unconfirmed rows wait for the operator"
        # The late requests land at Vbee once each: their rows are there, exactly once.
        await eventually(lambda: len(sandbox.vbee.contacts["vbee-cmp-1"]) >= 120)
        held = at_provider(sandbox, "vbee")
        assert all(held[p] == 1 for p in valid), "the timed-out batches were never sent again"
        assert len(sandbox.requests("vbee")) == 3
    finally:
        await stop_env(env)


async def test_an_alohub_provider_job_that_fails_fails_the_import_and_retry_completes_it(
    env: Env,
):
    env.sandbox.alohub.rows_per_second = 40
    valid = phones(100, seed=34)
    job_id = await env.start("alohub-main", "103", rows(valid))
    submitted = await eventually(lambda: env.store.batches(job_id, "submitted"))
    await eventually(lambda: len(env.sandbox.alohub.contacts(103)) > 0)
    env.sandbox.alohub.fail_job(int(submitted[0].provider_job), "Import worker crashed")
    job = await env.ended(job_id)
    assert job.state == "failed" and "Import worker crashed" in job.reason
    env.sandbox.alohub.rows_per_second = 5000
    assert await env.engine.retry(job_id) == 100
    await eventually(lambda: counts_when_ended(env, job_id, {"accepted": 100}))
    held = at_provider(env.sandbox, "alohub-main")
    assert all(held[p] == 1 for p in valid)


async def test_cancel_stops_sending_and_keeps_what_was_sent(sandbox: Any, tmp_path: Path):
    env = await start_env(
        sandbox, tmp_path, batch_sizes={"aicc": 20}, settings={"aicc": {"rate_limit": "3/1s"}}
    )
    try:
        valid = phones(200, seed=35)
        job_id = await env.start("aicc", "cmp-hn-01", rows(valid))

        async def some_accepted() -> bool:
            return (await env.store.counts(job_id)).get("accepted", 0) >= 40

        await eventually(some_accepted)
        await env.engine.cancel(job_id)
        job = await env.ended(job_id)
        assert job.state == "cancelled"
        counts = await env.store.counts(job_id)
        assert counts["pending"] > 0 and set(counts) == {"accepted", "pending"}
        assert len(sandbox.aicallcenter.imports["cmp-hn-01"]) == counts["accepted"]
        assert "J1 cancelled" in str(env.chat.updates[-1]["blocks"])
        assert await env.engine.retry(job_id) == counts["pending"]
        await eventually(lambda: counts_when_ended(env, job_id, {"accepted": 200}), within=30)
    finally:
        await stop_env(env)


async def test_vbee_refusing_every_row_of_a_batch_rejects_those_rows_only():
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"status": 0, "code": 1403, "message": "All contacts is invalid"}
        )

    connection = VbeeConnection(
        provider="vbee", base_url="http://vbee.test", api_key="k", api_secret="s" * 32
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        sender = VbeeSender(VbeeClient(connection, http=http))
        outcomes = await sender.send("c", [RowData(1, 2, "0912345678", None, {})])
    assert [(o.state, o.reason) for o in outcomes] == [("rejected", "import.reason.all_invalid")]


def test_only_dedupe_or_a_proven_refusal_makes_a_failed_batch_safe_to_resend():
    timeout = ProviderTimeout(provider="vbee")
    assert fate_of(timeout, dedupes=False) == "unconfirmed"
    assert fate_of(ProviderFault(provider="vbee"), dedupes=False) == "unconfirmed"
    assert fate_of(timeout, dedupes=True) == "pending"
    assert fate_of(InvalidStateError(provider="aicallcenter"), dedupes=False) == "pending"
    assert (
        fate_of(ProviderConnectionError(provider="x", retryable=True), dedupes=False) == "pending"
    )
    assert fate_of(RuntimeError("bug"), dedupes=False) == "unconfirmed"
