"""``GET /metrics``: Prometheus text that moves when commands run: commands, acks, provider
requests by result (ok or the error class), rate-limit waits, jobs, rows and summary runs."""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Environment
from bot.slack.bot import Bot
from bot.store.models import Job, JobRow, Subscription, SummaryRun
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.slack.conftest import SIGNING_SECRET, Harness, bot_config


async def _scrape(harness: Harness) -> dict[str, float]:
    """Every sample of ``/metrics`` by ``name{label="value",…}``, parsed as Prometheus does."""
    base = harness.slack.url.removesuffix("/slack/events")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"{base}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}"] = sample.value
    return samples


async def test_metrics_parse_and_the_command_counter_moves_when_a_command_runs(
    harness: Harness,
):
    command = 'callops_commands_total{family="/queue",outcome="ok"}'
    acks = 'callops_ack_seconds_count{kind="command"}'
    provider = 'callops_provider_requests_total{connection="alohub-main",result="ok"}'
    before = await _scrape(harness)
    assert before["callops_leader{}"] == 1  # a started bot runs the scheduled work

    await harness.reply("/queue", "list")
    await harness.bot.drain()
    after = await _scrape(harness)

    assert after[command] - before.get(command, 0) == 1
    assert after[acks] - before.get(acks, 0) >= 1
    assert after[provider] > before.get(provider, 0)
    assert "process_resident_memory_bytes{}" in after


async def test_metrics_show_jobs_rows_and_summary_runs_from_the_database(harness: Harness):
    samples = await _scrape(harness)
    # A fresh database: no jobs yet, and the families are still declared.
    assert not any(name.startswith("callops_jobs{state=") for name in samples)
    store = harness.bot.services.store

    def seed() -> None:
        with store.session() as session:
            job = Job(
                connection="vbee-main",
                provider="vbee",
                campaign="c1",
                creator="U0OPS1",
                channel="C0OPS",
                state="done",
                total=3,
            )
            session.add(job)
            session.flush()
            for line, state in enumerate(("accepted", "accepted", "rejected"), 1):
                session.add(JobRow(job_id=job.id, line=line, phone="0912345678", state=state))

    await store.write(seed)
    samples = await _scrape(harness)
    assert samples['callops_jobs{state="done"}'] == 1
    assert samples['callops_job_rows{state="accepted"}'] == 2
    assert samples['callops_job_rows{state="rejected"}'] == 1


def _total(samples: dict[str, float], prefix: str, *, unless: str = "") -> float:
    """The sum of the samples whose name starts with ``prefix`` (and lacks ``unless``)."""
    return sum(
        v for k, v in samples.items() if k.startswith(prefix) and not (unless and unless in k)
    )


async def test_provider_errors_are_counted_by_their_class(harness: Harness):
    failed = 'callops_provider_requests_total{connection="alohub-main",result='
    before = await _scrape(harness)
    harness.sandbox.faults("alohub").error_ratio = 1.0  # every request a system error
    try:
        await harness.reply("/queue", "list")
        await harness.bot.drain()
    finally:
        harness.sandbox.faults("alohub").reset()
    after = await _scrape(harness)
    errors = {k for k in after if k.startswith(failed) and 'result="ok"' not in k}
    assert errors, sorted(after)
    assert _total(after, failed, unless='result="ok"') > _total(
        before, failed, unless='result="ok"'
    )


async def test_rate_limit_waits_are_counted_with_their_seconds(sandbox: Any, tmp_path: Any):
    connections = sandbox.connections()
    connections["alohub-main"]["rate_limit"] = "1/1s"  # a second request in a second waits
    async with FakeSlack() as fake:
        env = Environment(
            slack_bot_token=fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
        )
        bot = Bot(bot_config(sandbox, tmp_path, connections=connections), env)
        port = await bot.start_http("127.0.0.1", 0)
        try:
            async with SlackClient(
                f"http://127.0.0.1:{port}", SIGNING_SECRET, response_url_factory=fake.response_url
            ) as client:
                h = Harness(client, fake, sandbox, bot)
                waits = 'callops_rate_limit_waits_total{cause="window",connection="alohub-main"}'
                seconds = 'callops_rate_limit_wait_seconds_total{connection="alohub-main"}'
                before = await _scrape(h)
                for _ in range(2):
                    await h.reply("/queue", "list")
                await bot.drain()
                after = await _scrape(h)
        finally:
            await bot.stop()
    assert after[waits] - before.get(waits, 0) >= 1
    assert after[seconds] > before.get(seconds, 0)


async def test_summary_runs_are_shown_by_state(harness: Harness):
    store = harness.bot.services.store

    def seed() -> None:
        with store.session() as session:
            subscription = Subscription(
                channel="C0OPS", connection="aicc", at="08:00", created_by="U0ADMIN1"
            )
            session.add(subscription)
            session.flush()
            session.add(SummaryRun(subscription_id=subscription.id, run_date="2026-12-05"))
            session.add(
                SummaryRun(subscription_id=subscription.id, run_date="2026-12-06", state="posted")
            )

    await store.write(seed)
    samples = await _scrape(harness)
    assert samples['callops_summary_runs{state="posted"}'] == 1
    assert samples['callops_summary_runs{state="posting"}'] == 1
