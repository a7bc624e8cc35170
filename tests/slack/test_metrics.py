"""``GET /metrics``: Prometheus text that moves when commands run; ``/healthz`` says the role."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.store.models import Job, JobRow
from tests.slack.conftest import Harness


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
